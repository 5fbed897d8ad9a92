import KITTIData
import Networks
import TensorCore

/// The real `TrainerEngine`: Monodepth2's networks, Adam and the training step on the loader's batches.
public final class MonodepthTrainerEngine: TrainerEngine {
    public typealias Batch = KITTIData.Batch
    public typealias Outputs = StepOutputs

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

    public func train(_ batch: Batch) throws -> TrainerStepReport<StepOutputs> {
        report(step.train(TrainingBatch(batch)))
    }

    public func validate(_ batch: Batch) throws -> TrainerStepReport<StepOutputs> {
        report(step.validate(TrainingBatch(batch)))
    }

    public func depthMetrics(_ batch: Batch, _ outputs: StepOutputs) -> [(name: String, value: Float)] {
        guard let truth = batch.depthGT, let depth = outputs.depths[0] else { return [] }
        return TrainerDepthMetrics.compute(depth: depth, groundTruth: truth) ?? []
    }

    public func parametersAreFinite() -> Bool {
        step.models.parameters.allSatisfy { $0.value.scalars().allSatisfy(\.isFinite) }
    }

    private func report(_ result: StepResult) -> TrainerStepReport<StepOutputs> {
        TrainerStepReport(loss: result.losses.total, scalars: result.losses.named, outputs: result.outputs)
    }
}

/// The seeds of a run's random streams, each derived from `--seed` (SplitMix64 finaliser of a
/// distinct combination), so that every stream of epoch e is known without replaying epochs 0..<e.
public enum TrainerSeeds {
    /// The networks' scratch initialisation.
    public static func initialisation(seed: UInt64) -> UInt64 { mix(seed ^ 0x1A17_0000_0000_0001) }
    /// The automask tie-break noise of epoch `epoch`.
    public static func noise(seed: UInt64, epoch: Int) -> UInt64 { mix(mix(seed ^ 0x7015_E000_0000_0002) &+ UInt64(epoch)) }
    /// The validation loader's shuffles.
    public static func validation(seed: UInt64) -> UInt64 { mix(seed ^ 0x7A11_0000_0000_0003) }

    static func mix(_ value: UInt64) -> UInt64 {
        var x = value &+ 0x9E37_79B9_7F4A_7C15
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        return x ^ (x >> 31)
    }
}
