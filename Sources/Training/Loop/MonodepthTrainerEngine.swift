import Foundation
import KITTIData
import Networks
import TensorCore

/// The real `TrainerEngine`: Monodepth2's networks, Adam and the training step on the loader's batches.
/// Under data parallelism (`step.share`) each rank steps on its share, and the losses and depth
/// metrics it reports are the whole batch's (the same on every rank); only the writer saves.
public final class MonodepthTrainerEngine: TrainerEngine {
    public typealias Batch = KITTIData.Batch
    public typealias Outputs = StepResult

    public let step: MonodepthStep
    public let seed: UInt64
    /// Whether `saveWeights` writes (rank 0 of a data-parallel run; always for one process).
    public let writesWeights: Bool

    public init(step: MonodepthStep, seed: UInt64, writesWeights: Bool = true) {
        self.step = step
        self.seed = seed
        self.writesWeights = writesWeights
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

    /// `compute_depth_losses` over the whole batch: under data parallelism the shares' depths and
    /// ground truth are gathered first (the metrics pool pixels and median-scale, so they do not
    /// average).
    public func depthMetrics(_ batch: Batch, _ result: StepResult) -> [(name: String, value: Float)] {
        guard let truth = batch.depthGT, let depth = result.outputs.depths[0] else { return [] }
        guard let share = step.share else { return TrainerDepthMetrics.compute(depth: depth, groundTruth: truth) ?? [] }
        return TrainerDepthMetrics.compute(depth: gathered(depth, share), groundTruth: gathered(truth, share)) ?? []
    }

    /// The whole batch of a per-share tensor: each rank places its rows in zeros, and the sum over
    /// the ranks holds every row exactly.
    private func gathered(_ tensor: Tensor, _ share: BatchShare) -> Tensor {
        let whole = Tensor.zeros([share.total] + tensor.shape.dropFirst(), on: tensor.backend)
        tensor.backend.copy(tensor, into: whole.narrowed(0, start: share.offset, length: tensor.shape[0]))
        tensor.backend.sumAcrossReplicas([whole], replicas: share.replicas)
        return whole
    }

    public func parametersAreFinite() -> Bool {
        step.models.parameters.allSatisfy { $0.value.scalars().allSatisfy(\.isFinite) }
    }

    /// The weights folder: every network (`encoder.pth` with the training size and `use_stereo`),
    /// `adam.pth`, and `trainer_state.json` for `--resume`.
    public func saveWeights(to folder: URL, state: TrainerState) throws {
        guard writesWeights else { return }
        let c = step.configuration
        try WeightsFolder.write(step.models, metadata: EncoderMetadata(height: c.height, width: c.width, useStereo: c.useStereo),
                                optimizer: step.optimizer,
                                extraFiles: [.init(name: TrainerState.fileName, contents: try state.encoded())], to: folder)
    }

    /// The report of a step; under data parallelism with the whole batch's losses (the mean of the
    /// shares' means).
    private func report(_ result: StepResult) -> TrainerStepReport<StepResult> {
        var result = result
        if let share = step.share {
            var losses = result.losses
            let selection = losses.identitySelectionMean ?? []
            let means = share.mean([losses.total] + losses.perScale + selection)
            losses.total = means[0]
            losses.perScale = Array(means[1..<(1 + losses.perScale.count)])
            if losses.identitySelectionMean != nil { losses.identitySelectionMean = Array(means.suffix(selection.count)) }
            result.losses = losses
        }
        return TrainerStepReport(loss: result.losses.total, scalars: result.losses.named, outputs: result)
    }
}
