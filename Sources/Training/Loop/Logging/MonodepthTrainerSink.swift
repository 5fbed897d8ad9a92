import Foundation
import KITTIData
import Networks
import TensorBoard
import TensorCore

/// The real `TrainerSink`: the original's stdout lines and the progress bar (`TrainingConsole`),
/// TensorBoard events in `log_dir/model_name/{train,val}` (`TrainingSummaries`, trainer.py `log`), the
/// full validation pass's loss in `log_dir/model_name/val_pass`. The other ranks of a data-parallel
/// run have a silent sink (no writers; their console prints nothing).
public final class MonodepthTrainerSink: TrainerSink {
    public typealias Batch = KITTIData.Batch
    public typealias Outputs = StepResult

    public let console: TrainingConsole
    /// nil for a silent sink.
    public let summaries: TrainingSummaries?
    /// `val_pass/loss` after each epoch (a run of its own beside train and val); nil for a silent sink.
    public let validationPassWriter: EventFileWriter?
    let configuration: StepConfiguration
    let totalSteps: Int

    /// - Parameter writes: false for the silent sink of a data-parallel run's other ranks.
    public init(console: TrainingConsole, logPath: URL, configuration: StepConfiguration, totalSteps: Int,
                writes: Bool = true) throws {
        self.console = console
        summaries = writes ? try TrainingSummaries(logPath: logPath) : nil
        validationPassWriter = writes ? try EventFileWriter(directory: logPath.appendingPathComponent("val_pass")) : nil
        self.configuration = configuration
        self.totalSteps = totalSteps
    }

    public func epochStarted(_ epoch: Int, learningRate: Double) { console.print("Training") }

    public func batchFinished(epoch: Int, batchIndex: Int, step: Int, loss: Float, duration: Double) {
        console.update(epoch: epoch, batchIndex: batchIndex, step: step, loss: loss)
    }

    public func timeLine(_ timing: LoggedBatchTiming) {
        console.print(TimeLine.line(epoch: timing.epoch, batchIndex: timing.batchIndex, batchSize: configuration.batchSize,
                                    batchDuration: timing.duration, loss: timing.loss, elapsed: timing.elapsed,
                                    step: timing.step, totalSteps: totalSteps))
    }

    /// trainer.py `log`: the losses (and depth metrics, when computed) as scalars, then the images.
    public func log(_ mode: TrainerMode, step: Int, batch: Batch, report: TrainerStepReport<StepResult>) throws {
        let metricNames = Set(TrainerDepthMetrics.names)
        let metrics = report.scalars.filter { metricNames.contains($0.name) }.map { ($0.name, Double($0.value)) }
        try summaries?.log(mode, batch: batch, result: report.outputs,
                          metrics: metrics, configuration: configuration, step: step)
    }

    /// One line after each epoch's steps, e.g. "epoch   0 | 17 steps, 1.02 samples/s | waiting for data: 0.4%":
    /// the end-to-end training rate and the loader's share of it (logging and validation excluded).
    /// Items replaced for an undecodable image are counted at the end ("| 2 items skipped (bad images)")
    /// and logged as `data/skipped_items` in the train run.
    public func epochFinished(_ timing: EpochTiming) throws {
        guard timing.steps > 0 else { return }
        let skipped = timing.skippedItems == 0 ? ""
            : " | \(timing.skippedItems) item\(timing.skippedItems == 1 ? "" : "s") skipped (bad images)"
        console.print("epoch " + String(repeating: " ", count: max(0, 3 - String(timing.epoch).count)) + "\(timing.epoch) | "
                      + "\(timing.steps) steps, " + String(format: "%.2f", timing.samplesPerSecond(batchSize: configuration.batchSize))
                      + " samples/s | waiting for data: " + String(format: "%.1f%%", 100 * timing.dataWaitFraction) + skipped)
        try summaries?.addScalar(.train, "data/skipped_items", Double(timing.skippedItems), step: timing.step)
    }

    public func validationPassFinished(epoch: Int, step: Int, meanLoss: Double, bestFolder: URL?) throws {
        let best = bestFolder.map { " (best so far: writing " + $0.path + ")" } ?? ""
        console.print("epoch " + String(repeating: " ", count: max(0, 3 - String(epoch).count)) + "\(epoch) | validation loss: "
                      + String(format: "%.5f", meanLoss) + best)
        try validationPassWriter?.addScalar("val_pass/loss", meanLoss, step: step)
    }

    public func close() {
        console.finish()
        summaries?.close()
        validationPassWriter?.close()
    }
}
