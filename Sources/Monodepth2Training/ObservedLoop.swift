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

    func epochFinished(_ timing: EpochTiming) {
        base.epochFinished(timing)
        observe(.epochFinished(epoch: timing.epoch))
    }

    func validationPassFinished(epoch: Int, step: Int, meanLoss: Double, bestFolder: URL?) throws {
        try base.validationPassFinished(epoch: epoch, step: step, meanLoss: meanLoss, bestFolder: bestFolder)
        observe(.validated(epoch: epoch, meanLoss: meanLoss, isBest: bestFolder != nil))
    }
}

/// Thrown out of the training batches when a stop was asked for: ends the loop between steps.
struct StopRequested: Error {}

/// The trainer's data, whose training batches end the run (throwing `StopRequested`) once `flag`
/// is raised: the step in progress finishes, the next one does not start.
final class StoppableData: TrainerData {
    typealias Batch = KITTITrainerData.Batch

    let base: KITTITrainerData
    let flag: StopFlag

    init(_ base: KITTITrainerData, flag: StopFlag) {
        self.base = base
        self.flag = flag
    }

    var batchesPerEpoch: Int { base.batchesPerEpoch }
    var validationBatches: Int { base.validationBatches }

    func trainBatches(epoch: Int) throws -> BatchIterator<Batch> {
        let batches = try base.trainBatches(epoch: epoch)
        let flag = flag
        return BatchIterator {
            if flag.isRaised { throw StopRequested() }
            return try batches.next()
        }
    }

    func nextValidationBatch() throws -> Batch { try base.nextValidationBatch() }
    func skipValidationBatches(_ count: Int) { base.skipValidationBatches(count) }
    func validationPass() throws -> BatchIterator<Batch> { try base.validationPass() }
}

/// A flag raised from any thread and read by the training thread.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    var isRaised: Bool { lock.withLock { raised } }
    func raise() { lock.withLock { raised = true } }
}
