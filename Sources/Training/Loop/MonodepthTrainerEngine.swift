import Foundation
import KITTIData
import Networks
import TensorCore

/// The real `TrainerEngine`: Monodepth2's networks, Adam and the training step on the loader's batches.
public final class MonodepthTrainerEngine: TrainerEngine {
    public typealias Batch = KITTIData.Batch
    public typealias Outputs = StepResult

    public let step: MonodepthStep
    public let seed: UInt64

    public init(step: MonodepthStep, seed: UInt64) {
        self.step = step
        self.seed = seed
    }

    public var models: MonodepthModels { step.models }
    public var optimizer: Adam { step.optimizer }

    /// Sets the 0.4.1 StepLR rate (the stored lr of a loaded adam.pth is ignored, as under 0.4.1) and
    /// restarts the tie-break noise from (seed, epoch): a resumed run draws what an uninterrupted one would.
    public func beginEpoch(_ epoch: Int, learningRate: Double) {
        step.optimizer.learningRate = learningRate
        step.noiseGenerator = RandomGenerator(seed: TrainerSeeds.noise(seed: seed, epoch: epoch))
    }

    public func train(_ batch: Batch) throws -> TrainerStepReport<StepResult> {
        report(step.train(batch))
    }

    public func validate(_ batch: Batch) throws -> TrainerStepReport<StepResult> {
        report(step.validate(batch))
    }

    public func depthMetrics(_ batch: Batch, _ result: StepResult) -> [(name: String, value: Float)] {
        guard let truth = batch.depthGT, let depth = result.outputs.depths[0] else { return [] }
        return TrainerDepthMetrics.compute(depth: depth, groundTruth: truth) ?? []
    }

    public func parametersAreFinite() -> Bool {
        step.models.parameters.allSatisfy { $0.value.scalars().allSatisfy(\.isFinite) }
    }

    /// The weights folder: every network (`encoder.pth` with the training size and `use_stereo`),
    /// `adam.pth`, and `trainer_state.json` for `--resume`.
    public func saveWeights(to folder: URL, state: TrainerState) throws {
        let c = step.configuration
        try WeightsFolder.write(step.models, metadata: EncoderMetadata(height: c.height, width: c.width, useStereo: c.useStereo),
                                optimizer: step.optimizer,
                                extraFiles: [.init(name: TrainerState.fileName, contents: try state.encoded())], to: folder)
    }

    private func report(_ result: StepResult) -> TrainerStepReport<StepResult> {
        TrainerStepReport(loss: result.losses.total, scalars: result.losses.named, outputs: result)
    }
}
