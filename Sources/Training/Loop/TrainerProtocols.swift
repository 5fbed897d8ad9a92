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
    /// Writes the networks, the optimizer and `state` as the weights folder `folder` (atomically).
    func saveWeights(to folder: URL, state: TrainerState) throws
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
    /// Items replaced so far because an image could not be decoded (all loaders together).
    var skippedItems: Int { get }
}

extension TrainerData {
    public var skippedItems: Int { 0 }
}

/// The original's two modes of `log(mode, …)`: training or the `val()` batch; also the name of
/// each one's TensorBoard writer.
public enum TrainerMode: String, CaseIterable, Sendable {
    case train, val
}

/// What the printed time line of a logged batch needs (`TimeLine.line` formats it).
public struct LoggedBatchTiming: Equatable, Sendable {
    public var epoch: Int
    public var batchIndex: Int
    /// Seconds of forward + backward + step of this batch.
    public var duration: Double
    public var loss: Float
    /// Seconds since this run's training began.
    public var elapsed: Double
    /// The global step (before its increment).
    public var step: Int
}

/// Where an epoch's training time went: the steps, and the waits for the loader's next batch.
/// Logging and validation are excluded, so `dataWaitFraction` is the loader's share of training.
public struct EpochTiming: Equatable, Sendable {
    public var epoch: Int
    /// Training steps run (batches).
    public var steps: Int
    /// Seconds of forward + backward + optimiser step, summed.
    public var stepSeconds: Double
    /// Seconds spent waiting for the next batch, summed (the first batch included).
    public var dataWaitSeconds: Double
    /// Items replaced in this epoch because an image could not be decoded.
    public var skippedItems: Int
    /// The global step after the epoch's last step.
    public var step: Int

    public init(epoch: Int, steps: Int, stepSeconds: Double, dataWaitSeconds: Double, skippedItems: Int = 0, step: Int = 0) {
        self.epoch = epoch
        self.steps = steps
        self.stepSeconds = stepSeconds
        self.dataWaitSeconds = dataWaitSeconds
        self.skippedItems = skippedItems
        self.step = step
    }

    /// The share of training time spent waiting for data (0 when nothing ran).
    public var dataWaitFraction: Double {
        let total = stepSeconds + dataWaitSeconds
        return total > 0 ? dataWaitSeconds / total : 0
    }

    /// End-to-end training samples per second at `batchSize` (loader waits included, logging excluded).
    public func samplesPerSecond(batchSize: Int) -> Double {
        let total = stepSeconds + dataWaitSeconds
        return total > 0 ? Double(steps * batchSize) / total : 0
    }
}

/// Where the loop reports: stdout lines, TensorBoard and the progress bar (the loop saves the
/// weights itself, through the engine).
public protocol TrainerSink: AnyObject {
    associatedtype Batch
    associatedtype Outputs

    /// "Training" at the start of each epoch.
    func epochStarted(_ epoch: Int, learningRate: Double)
    /// After every training step (progress bar).
    func batchFinished(epoch: Int, batchIndex: Int, step: Int, loss: Float, duration: Double)
    /// The printed time line of a logged batch.
    func timeLine(_ timing: LoggedBatchTiming)
    /// `log(mode, inputs, outputs, losses)`: scalars and images at `step`.
    func log(_ mode: TrainerMode, step: Int, batch: Batch, report: TrainerStepReport<Outputs>) throws
    /// After an epoch's last training step: where its training time went.
    func epochFinished(_ timing: EpochTiming) throws
    /// The full validation pass after an epoch: its mean loss, and the folder the loop writes next
    /// when it is the best so far (nil otherwise).
    func validationPassFinished(epoch: Int, step: Int, meanLoss: Double, bestFolder: URL?) throws
}
