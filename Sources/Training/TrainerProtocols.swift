import Foundation

/// The losses of one forward, read on the host, in the order the original's `losses` dictionary is
/// logged (`loss`, `loss/0`, …, then any depth metrics `de/abs_rel`, …), plus what was computed
/// (images for TensorBoard) as an opaque value of the engine.
public struct TrainerStepReport<Outputs> {
    /// `losses["loss"]`.
    public var loss: Float
    /// Every `losses` entry (including `loss`) in logging order.
    public var scalars: [(name: String, value: Float)]
    public var outputs: Outputs

    public init(loss: Float, scalars: [(name: String, value: Float)], outputs: Outputs) {
        self.loss = loss
        self.scalars = scalars
        self.outputs = outputs
    }
}

/// The networks, the optimizer and the step, as the epoch loop drives them.
public protocol TrainerEngine: AnyObject {
    associatedtype Batch
    associatedtype Outputs

    /// Called at the start of every epoch, where trainer.py calls `scheduler.step()`: sets the
    /// optimizer's learning rate and re-derives the epoch's random streams from (seed, epoch), so a
    /// resumed run draws what an uninterrupted one would.
    func beginEpoch(_ epoch: Int, learningRate: Double)
    /// process_batch in training mode, backward, Adam step.
    func train(_ batch: Batch) throws -> TrainerStepReport<Outputs>
    /// process_batch in evaluation mode (BatchNorm running statistics), no gradients.
    func validate(_ batch: Batch) throws -> TrainerStepReport<Outputs>
    /// `compute_depth_losses` when the batch holds `depth_gt`: the seven `de/…`, `da/…` entries; else
    /// empty.
    func depthMetrics(_ batch: Batch, _ outputs: Outputs) -> [(name: String, value: Float)]
    /// Whether every weight is finite (checked before anything is saved).
    func parametersAreFinite() -> Bool
}

/// A source of batches: `next()` returns nil at the end.
public struct BatchIterator<Batch> {
    private let nextBatch: () throws -> Batch?

    public init(_ next: @escaping () throws -> Batch?) { nextBatch = next }

    public func next() throws -> Batch? { try nextBatch() }
}

/// The training and validation data as the loop consumes it.
public protocol TrainerData: AnyObject {
    associatedtype Batch

    /// `len(train_dataset) // batch_size`.
    var batchesPerEpoch: Int { get }
    /// The shuffled batches of epoch `epoch` (seeded by (seed, epoch)).
    func trainBatches(epoch: Int) throws -> BatchIterator<Batch>
    /// The persistent validation iterator's next batch (restarted, reshuffled, when exhausted).
    func nextValidationBatch() throws -> Batch
    /// Advances the persistent validation iterator by `count` batches without loading them (resume).
    func skipValidationBatches(_ count: Int)
    /// The whole validation split in order, drop_last (the best-model pass).
    func validationPass() throws -> BatchIterator<Batch>
    /// `len(val_dataset) // batch_size`.
    var validationBatches: Int { get }
}

/// Which TensorBoard writer an event goes to.
public enum TrainerMode: String, Sendable {
    case train, val
}

/// What the loop's progress is recorded as in each weights folder (with the weights and adam.pth):
/// enough to continue a run exactly.
public struct TrainerProgress: Codable, Equatable, Sendable {
    /// The last finished epoch (0-based); the run continues at `epoch + 1`.
    public var epoch: Int
    /// The global step count after that epoch.
    public var step: Int
    /// `--seed`: every random stream of epoch e is derived from (seed, e).
    public var seed: UInt64
    /// The lowest mean validation loss so far and its epoch (nil before the first pass or with
    /// --disable_best_model).
    public var bestValidationLoss: Double?
    public var bestEpoch: Int?

    public init(epoch: Int, step: Int, seed: UInt64, bestValidationLoss: Double? = nil, bestEpoch: Int? = nil) {
        self.epoch = epoch
        self.step = step
        self.seed = seed
        self.bestValidationLoss = bestValidationLoss
        self.bestEpoch = bestEpoch
    }
}

/// The inputs of trainer.py's printed time line (`log_time`).
public struct TimeLine: Equatable, Sendable {
    public var epoch: Int
    public var batchIndex: Int
    public var batchSize: Int
    /// Seconds of forward + backward + step of this batch.
    public var duration: Double
    public var loss: Float
    /// Seconds since this run's training began.
    public var elapsed: Double
    public var step: Int
    public var totalSteps: Int
    /// The step this process started at (0 unless resumed): time left is extrapolated from the steps
    /// done here.
    public var startStep: Int

    /// The original's estimate, `(num_total_steps / step − 1) · elapsed` (0 at the first step), over
    /// the steps done in this process when resumed.
    public var timeLeft: Double {
        let done = step - startStep
        guard done > 0 else { return 0 }
        if startStep == 0 { return (Double(totalSteps) / Double(step) - 1.0) * elapsed }
        return Double(totalSteps - step) / Double(done) * elapsed
    }
}

/// Where the loop reports: stdout lines, TensorBoard, the progress bar, and the weights folders.
public protocol TrainerSink: AnyObject {
    associatedtype Batch
    associatedtype Outputs

    /// "Training" at the start of each epoch.
    func epochStarted(_ epoch: Int, learningRate: Double)
    /// After every training step (progress bar).
    func batchFinished(epoch: Int, batchIndex: Int, step: Int, loss: Float, duration: Double)
    /// The printed time line of a logged batch.
    func timeLine(_ line: TimeLine)
    /// `log(mode, inputs, outputs, losses)`: scalars and images at `step`.
    func log(_ mode: TrainerMode, step: Int, batch: Batch, report: TrainerStepReport<Outputs>) throws
    /// The full validation pass after an epoch: its mean loss, whether it is the best so far.
    func validationPassFinished(epoch: Int, step: Int, meanLoss: Double, improved: Bool) throws
    /// Writes `models/weights_{epoch}` (atomically) with `progress`; returns the folder.
    func saveWeights(epoch: Int, progress: TrainerProgress) throws -> URL
    /// Writes `models/weights_best` (atomically) with `progress`; returns the folder.
    func saveBestWeights(epoch: Int, progress: TrainerProgress) throws -> URL
}
