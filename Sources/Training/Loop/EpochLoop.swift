import Foundation

/// trainer.py's `train()` / `run_epoch()` / `val()`, plus what the
/// original lacks: exact resume, a full validation pass with best-model selection after each epoch,
/// and a divergence guard.
///
/// Per epoch: learning rate from the 0.4.1 StepLR rule, "Training", every batch a training step;
/// at the original's log cadence the time line, the train log (with depth metrics when the batch
/// has `depth_gt`) and one validation batch from the persistent iterator in evaluation mode. After
/// the epoch: the validation pass (unless disabled), `weights_best` when it improves, `weights_N`
/// every save_frequency epochs.
public final class EpochLoop<Engine: TrainerEngine, Data: TrainerData, Sink: TrainerSink>
where Data.Batch == Engine.Batch, Sink.Batch == Engine.Batch, Sink.Outputs == Engine.Outputs {
    public let engine: Engine
    public let data: Data
    public let sink: Sink
    public let schedule: TrainerSchedule
    /// Where `weights_N` and `weights_best` go.
    public let runFolder: RunFolder
    public let seed: UInt64
    /// The full validation pass and `weights_best` after each epoch (off: `--disable_best_model`).
    public let selectsBestModel: Bool
    /// Seconds on a monotonic scale (injected by tests).
    public let clock: () -> Double

    /// Where the run is: the next epoch to run, the global step, the best validation loss.
    public private(set) var progress: TrainerState
    /// The newest weights folder known to hold finite weights (named by the divergence message).
    public private(set) var lastGoodWeights: String?
    /// The newest complete `weights_N` a run can `--resume` from (this run's, or the one it resumed).
    public private(set) var lastResumableWeights: String?
    /// Asked after every step and save with the global step count: a signal number stops the run
    /// there (`TrainerError.interrupted`).
    public var stopRequested: (Int) -> Int32? = { _ in nil }

    /// - Parameters:
    ///   - resumeFrom: the progress stored with the weights a run continues from (the engine holds
    ///     those weights already); nil for a new run.
    ///   - initialWeights: the folder the weights came from (--load_weights_folder or --resume), if any.
    public init(engine: Engine, data: Data, sink: Sink, schedule: TrainerSchedule, runFolder: RunFolder, seed: UInt64,
                selectsBestModel: Bool, resumeFrom: TrainerState? = nil, initialWeights: String? = nil,
                clock: @escaping () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.engine = engine
        self.data = data
        self.sink = sink
        self.schedule = schedule
        self.runFolder = runFolder
        self.seed = seed
        self.selectsBestModel = selectsBestModel
        self.clock = clock
        progress = resumeFrom ?? TrainerState(epoch: -1, globalStep: 0, seed: seed)
        lastGoodWeights = initialWeights
        lastResumableWeights = resumeFrom == nil ? nil : initialWeights
    }

    /// The first epoch this run trains.
    public var startEpoch: Int { progress.epoch + 1 }

    /// Runs the remaining epochs.
    public func run() throws {
        let start = clock()
        if startEpoch > 0 { data.skipValidationBatches(schedule.loggedBatches(beforeEpoch: startEpoch)) }
        for epoch in startEpoch..<schedule.numEpochs {
            let learningRate = schedule.learningRate(epoch: epoch)
            engine.beginEpoch(epoch, learningRate: learningRate)
            sink.epochStarted(epoch, learningRate: learningRate)
            try runEpoch(epoch, start: start)
            progress.epoch = epoch
            if selectsBestModel { try validationPass(epoch) }
            if schedule.saves(afterEpoch: epoch) {
                lastGoodWeights = try save(runFolder.weights(epoch: epoch), epoch: epoch).path
                lastResumableWeights = lastGoodWeights
            }
            try stopIfRequested(epoch: epoch)
        }
    }

    /// Throws `.interrupted` when a stop was requested (between steps, never inside a save).
    private func stopIfRequested(epoch: Int) throws {
        guard let signal = stopRequested(progress.globalStep) else { return }
        throw TrainerError.interrupted(signal: signal, epoch: epoch, step: progress.globalStep, lastGood: lastResumableWeights)
    }

    private func runEpoch(_ epoch: Int, start: Double) throws {
        let skippedBefore = data.skippedItems
        let batches = try data.trainBatches(epoch: epoch)
        var batchIndex = 0
        var timing = EpochTiming(epoch: epoch, steps: 0, stepSeconds: 0, dataWaitSeconds: 0)
        var waitStart = clock()
        while let batch = try batches.next() {
            let before = clock()
            timing.dataWaitSeconds += before - waitStart
            let report = try engine.train(batch)
            let duration = clock() - before
            timing.steps += 1
            timing.stepSeconds += duration
            let step = progress.globalStep
            guard report.loss.isFinite else {
                throw TrainerError.diverged(epoch: epoch, step: step, what: "the loss (\(report.loss))", lastGood: lastGoodWeights)
            }
            sink.batchFinished(epoch: epoch, batchIndex: batchIndex, step: step, loss: report.loss, duration: duration)
            if schedule.logs(batchIndex: batchIndex, step: step) {
                sink.timeLine(LoggedBatchTiming(epoch: epoch, batchIndex: batchIndex, duration: duration,
                                                loss: report.loss, elapsed: clock() - start, step: step))
                var logged = report
                logged.scalars += engine.depthMetrics(batch, report.outputs)
                try sink.log(.train, step: step, batch: batch, report: logged)
                try validateOneBatch(step: step)
            }
            progress.globalStep += 1
            batchIndex += 1
            // After the epoch's last step the stop waits for its validation pass and saves (in `run`).
            if batchIndex < data.batchesPerEpoch { try stopIfRequested(epoch: epoch) }
            waitStart = clock()
        }
        timing.skippedItems = data.skippedItems - skippedBefore
        timing.step = progress.globalStep
        try sink.epochFinished(timing)
    }

    /// `val()`: the persistent iterator's next batch in evaluation mode, logged as "val".
    private func validateOneBatch(step: Int) throws {
        let batch = try data.nextValidationBatch()
        var report = try engine.validate(batch)
        report.scalars += engine.depthMetrics(batch, report.outputs)
        try sink.log(.val, step: step, batch: batch, report: report)
    }

    /// The mean total loss over the validation split; `weights_best` when it is the lowest so far.
    private func validationPass(_ epoch: Int) throws {
        let batches = try data.validationPass()
        var sum = 0.0
        var count = 0
        while let batch = try batches.next() {
            sum += Double(try engine.validate(batch).loss)
            count += 1
        }
        guard count > 0 else { return }
        let mean = sum / Double(count)
        guard mean.isFinite else {
            throw TrainerError.diverged(epoch: epoch, step: progress.globalStep, what: "the validation loss (\(mean))",
                                        lastGood: lastGoodWeights)
        }
        let improved = progress.recordValidation(loss: mean, epoch: epoch)
        try sink.validationPassFinished(epoch: epoch, step: progress.globalStep, meanLoss: mean,
                                        bestFolder: improved ? runFolder.bestWeights : nil)
        if improved { try save(runFolder.bestWeights, epoch: epoch) }
    }

    /// Writes the weights with the run's progress and returns the folder; a non-finite weight stops
    /// the run instead (nothing non-finite is ever saved).
    @discardableResult
    private func save(_ folder: URL, epoch: Int) throws -> URL {
        guard engine.parametersAreFinite() else {
            throw TrainerError.diverged(epoch: epoch, step: progress.globalStep, what: "a weight", lastGood: lastGoodWeights)
        }
        do {
            try engine.saveWeights(to: folder, state: progress)
        } catch let error as TrainerError {
            throw error
        } catch {
            throw TrainerError.saveFailed(folder: folder.path, lastGood: lastResumableWeights ?? lastGoodWeights, cause: "\(error)")
        }
        return folder
    }
}
