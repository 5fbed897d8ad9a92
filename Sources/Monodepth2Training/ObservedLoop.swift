import Foundation
import Training

/// The trainer's sink with every step, validation pass and epoch end also reported to `observe`.
final class ObservingSink: TrainerSink {
    typealias Batch = MonodepthTrainerSink.Batch
    typealias Outputs = MonodepthTrainerSink.Outputs

    let base: MonodepthTrainerSink
    let schedule: TrainerSchedule
    let observe: (TrainingEvent) -> Void

    init(_ base: MonodepthTrainerSink, schedule: TrainerSchedule, observe: @escaping (TrainingEvent) -> Void) {
        self.base = base
        self.schedule = schedule
        self.observe = observe
    }

    func epochStarted(_ epoch: Int, learningRate: Double) { base.epochStarted(epoch, learningRate: learningRate) }

    func batchFinished(epoch: Int, batchIndex: Int, step: Int, loss: Float, duration: Double) {
        base.batchFinished(epoch: epoch, batchIndex: batchIndex, step: step, loss: loss, duration: duration)
        observe(.step(TrainingProgress(epoch: epoch, epochs: schedule.numEpochs, batchIndex: batchIndex,
                                       batchesPerEpoch: schedule.batchesPerEpoch, step: step,
                                       totalSteps: schedule.totalSteps, loss: loss, seconds: duration)))
    }

    func timeLine(_ timing: LoggedBatchTiming) { base.timeLine(timing) }

    func log(_ mode: TrainerMode, step: Int, batch: Batch, report: TrainerStepReport<Outputs>) throws {
        try base.log(mode, step: step, batch: batch, report: report)
    }

    func epochFinished(_ timing: EpochTiming) throws {
        try base.epochFinished(timing)
        observe(.epochFinished(epoch: timing.epoch))
    }

    func validationPassFinished(epoch: Int, step: Int, meanLoss: Double, bestFolder: URL?) throws {
        try base.validationPassFinished(epoch: epoch, step: step, meanLoss: meanLoss, bestFolder: bestFolder)
        observe(.validated(epoch: epoch, meanLoss: meanLoss, isBest: bestFolder != nil))
    }
}

/// A flag raised from any thread and read by the training thread.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    var isRaised: Bool { lock.withLock { raised } }
    func raise() { lock.withLock { raised = true } }
}
