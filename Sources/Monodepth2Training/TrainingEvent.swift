/// What a `TrainingRun` reports while it runs, in order: a `.step` after every training step, and
/// after each epoch's steps `.epochFinished`, then `.validated` (the full validation pass, unless
/// `--disable_best_model` or the split has no validation batch).
public enum TrainingEvent: Sendable, Equatable {
    /// A training step finished.
    case step(TrainingProgress)
    /// The validation pass after `epoch` gave `meanLoss`; `isBest` when it is the lowest so far
    /// (then `weights_best` is written).
    case validated(epoch: Int, meanLoss: Double, isBest: Bool)
    /// An epoch's training steps are done (its weights follow every `--save_frequency` epochs).
    case epochFinished(epoch: Int)
}

/// Where a training run is after one step.
public struct TrainingProgress: Sendable, Equatable {
    /// The epoch, from 0.
    public var epoch: Int
    /// The number of epochs of the run (`--num_epochs`).
    public var epochs: Int
    /// The step's batch within its epoch, from 0.
    public var batchIndex: Int
    /// Batches per epoch (training items // `--batch_size`).
    public var batchesPerEpoch: Int
    /// The global step, from 0 (the TensorBoard step).
    public var step: Int
    /// The steps of the whole run (`epochs × batchesPerEpoch`).
    public var totalSteps: Int
    /// The step's total loss.
    public var loss: Float
    /// The step's time in seconds (forward, backward, optimizer).
    public var seconds: Double

    /// A progress report (the run makes these; public for tests of callers' own observers).
    public init(epoch: Int, epochs: Int, batchIndex: Int, batchesPerEpoch: Int, step: Int, totalSteps: Int,
                loss: Float, seconds: Double) {
        self.epoch = epoch
        self.epochs = epochs
        self.batchIndex = batchIndex
        self.batchesPerEpoch = batchesPerEpoch
        self.step = step
        self.totalSteps = totalSteps
        self.loss = loss
        self.seconds = seconds
    }

    /// The fraction of the run done, in [0, 1].
    public var fractionDone: Double { totalSteps > 0 ? Double(step + 1) / Double(totalSteps) : 1 }
}

/// How a `TrainingRun.run` ended.
public enum TrainingOutcome: Sendable, Equatable {
    /// Every epoch ran; the weights are in the run's folder.
    case finished
    /// `stop()` ended the run after `steps` training steps (of this call); the weights saved up to
    /// then stay, and `--resume` continues from the last `weights_N`.
    case stopped(steps: Int)
}
