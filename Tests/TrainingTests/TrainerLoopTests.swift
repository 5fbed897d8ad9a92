import Foundation
import XCTest
@testable import Training

/// The epoch loop against small fakes: learning-rate rule, log cadence, validation scheduling,
/// best-model selection, divergence guard and exact resume.
final class TrainerLoopTests: XCTestCase {
    // MARK: - Schedule

    func testLearningRateFollowsTorch041StepLR() {
        let schedule = TrainerSchedule(batchesPerEpoch: 10, numEpochs: 20, logFrequency: 250, saveFrequency: 1,
                                       learningRate: 1e-4, schedulerStepSize: 15)
        // trainer.py with torch 0.4.1's StepLR: epochs 0-14 at 1e-4, 15-19 at 1e-5 (modern PyTorch drops at 14).
        for epoch in 0...14 { XCTAssertEqual(schedule.learningRate(epoch: epoch), 1e-4, "epoch \(epoch)") }
        for epoch in 15...19 { XCTAssertEqual(schedule.learningRate(epoch: epoch), 1e-4 * 0.1, "epoch \(epoch)") }
        var short = schedule
        short.schedulerStepSize = 2
        XCTAssertEqual(short.learningRate(epoch: 5), 1e-4 * 0.1 * 0.1, accuracy: 0)
    }

    func testLogCadenceOnEigenZhouDefaults() {
        // eigen_zhou: 39,810 training files // 12 = 3,317 steps per epoch; 20 epochs.
        let schedule = TrainerSchedule(batchesPerEpoch: 3317, numEpochs: 20, logFrequency: 250, saveFrequency: 1,
                                       learningRate: 1e-4, schedulerStepSize: 15)
        var logged: [Int] = []
        var step = 0
        for _ in 0..<2 {
            for batch in 0..<schedule.batchesPerEpoch {
                if schedule.logs(batchIndex: batch, step: step) { logged.append(step) }
                step += 1
            }
        }
        // §4.2: steps 0, 250, ..., 1750, then every 2000 (epoch 1's batch 0 is step 3317: not logged).
        XCTAssertEqual(logged, [0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000, 4000, 6000])
        XCTAssertEqual(schedule.totalSteps, 66340)
    }

    func testLoggedBatchCountMatchesTheCadence() {
        for (batches, frequency) in [(7, 3), (13, 5), (3317, 250), (900, 250), (2000, 1000), (1, 1)] {
            let schedule = TrainerSchedule(batchesPerEpoch: batches, numEpochs: 6, logFrequency: frequency,
                                           saveFrequency: 1, learningRate: 1, schedulerStepSize: 1)
            var count = 0, step = 0
            for epoch in 0...5 {
                XCTAssertEqual(schedule.loggedBatches(beforeEpoch: epoch), count, "\(batches)/\(frequency) epoch \(epoch)")
                for batch in 0..<batches {
                    if schedule.logs(batchIndex: batch, step: step) { count += 1 }
                    step += 1
                }
            }
        }
    }

    func testSaveFrequency() {
        let schedule = TrainerSchedule(batchesPerEpoch: 1, numEpochs: 7, logFrequency: 1, saveFrequency: 3,
                                       learningRate: 1, schedulerStepSize: 1)
        XCTAssertEqual((0..<7).filter(schedule.saves(afterEpoch:)), [2, 5])
    }

    // MARK: - Loop

    func testLoopLogsValidatesAndSavesAtTheOriginalsCadence() throws {
        let fixture = LoopFixture(trainSamples: 7, valBatches: 3, numEpochs: 3, logFrequency: 2, saveFrequency: 2)
        try fixture.makeLoop().run()
        let sink = fixture.sink
        XCTAssertEqual(sink.epochs.map(\.0), [0, 1, 2])
        // 7 batches per epoch: every 2nd batch of each epoch (batch_idx restarts; step < 2000).
        XCTAssertEqual(sink.logged.filter { $0.mode == .train }.map(\.step), [0, 2, 4, 6, 7, 9, 11, 13, 14, 16, 18, 20])
        // Each train log is followed by one validation batch from the persistent iterator, cycling.
        XCTAssertEqual(sink.logged.filter { $0.mode == .val }.map(\.step), sink.logged.filter { $0.mode == .train }.map(\.step))
        XCTAssertEqual(fixture.engine.validatedPersistent, (0..<12).map { $0 % 3 })
        XCTAssertEqual(sink.timeLines.map(\.batchIndex), [0, 2, 4, 6, 0, 2, 4, 6, 0, 2, 4, 6])
        XCTAssertEqual(fixture.engine.saved.map(\.0), [1])
        XCTAssertEqual(fixture.engine.saved.first?.1.epoch, 1)
        XCTAssertEqual(fixture.engine.saved.first?.1.globalStep, 14)
        XCTAssertEqual(fixture.engine.saved.first?.1.seed, 5)
        // The loop names the folders: weights_N in the run folder's models/, weights_best beside them.
        XCTAssertEqual(fixture.engine.savedFolders.filter { !$0.hasSuffix("/weights_best") }, ["/fake/models/weights_1"])
        XCTAssertEqual(Set(fixture.engine.savedFolders.filter { $0.hasSuffix("best") }), ["/fake/models/weights_best"])
        XCTAssertEqual(fixture.engine.learningRates, [1e-3, 1e-3, 1e-3 * 0.1])
        XCTAssertEqual(sink.batches, 21)
        // Depth metrics are added to the logged losses (every fake batch "has depth_gt").
        XCTAssertTrue(sink.logged.allSatisfy { $0.names == ["loss", "de/abs_rel"] })
    }

    func testEpochTimingSplitsStepsFromDataWaitsAndLeavesLoggingOut() throws {
        // The fixture's clock advances 0.25 s per reading. Per batch the loop reads it once when the
        // batch arrives and once after the step, so each wait and each step is one tick; the readings
        // of logged batches (time line, validation batch) happen after both and must not count.
        let fixture = LoopFixture(trainSamples: 7, valBatches: 3, numEpochs: 2, logFrequency: 2, saveFrequency: 1)
        try fixture.makeLoop().run()
        XCTAssertEqual(fixture.sink.timings, [
            EpochTiming(epoch: 0, steps: 7, stepSeconds: 1.75, dataWaitSeconds: 1.75, step: 7),
            EpochTiming(epoch: 1, steps: 7, stepSeconds: 1.75, dataWaitSeconds: 1.75, step: 14),
        ])
        XCTAssertEqual(fixture.sink.timings[0].dataWaitFraction, 0.5)
        XCTAssertEqual(fixture.sink.timings[0].samplesPerSecond(batchSize: 4), 8.0)
        XCTAssertEqual(EpochTiming(epoch: 0, steps: 0, stepSeconds: 0, dataWaitSeconds: 0).dataWaitFraction, 0)
    }

    func testBestModelIsWrittenOnlyWhenTheValidationLossImproves() throws {
        let fixture = LoopFixture(trainSamples: 4, valBatches: 2, numEpochs: 5, logFrequency: 100, saveFrequency: 1)
        fixture.engine.validationLossByEpoch = [3, 2, 2.5, 1, 1]
        try fixture.makeLoop().run()
        XCTAssertEqual(fixture.sink.passes.map(\.mean), [3, 2, 2.5, 1, 1])
        XCTAssertEqual(fixture.sink.passes.map(\.improved), [true, true, false, true, false])
        XCTAssertEqual(fixture.engine.best.map(\.0), [0, 1, 3])
        XCTAssertEqual(fixture.engine.saved.last?.1.bestEpoch, 3)
        XCTAssertEqual(fixture.engine.saved.last?.1.bestValidationLoss, 1)
        // The full pass runs over the split in order, every batch, after each epoch.
        XCTAssertEqual(fixture.engine.validatedInPass, Array(repeating: [0, 1], count: 5).flatMap { $0 })
    }

    func testDisablingBestModelSkipsThePass() throws {
        let fixture = LoopFixture(trainSamples: 5, valBatches: 2, numEpochs: 3, logFrequency: 2, saveFrequency: 1)
        try fixture.makeLoop(selectsBestModel: false).run()
        XCTAssertTrue(fixture.sink.passes.isEmpty)
        XCTAssertTrue(fixture.engine.best.isEmpty)
        XCTAssertTrue(fixture.engine.validatedInPass.isEmpty)
        XCTAssertEqual(fixture.engine.saved.map(\.1.bestEpoch), [nil, nil, nil])
    }

    func testNonFiniteLossStopsNamingEpochStepAndLastGoodWeights() throws {
        let fixture = LoopFixture(trainSamples: 4, valBatches: 2, numEpochs: 5, logFrequency: 1, saveFrequency: 1)
        fixture.engine.nanAtStep = 9   // epoch 2, batch 1
        XCTAssertThrowsError(try fixture.makeLoop().run()) { error in
            XCTAssertEqual(error as? TrainerError, .diverged(epoch: 2, step: 9, what: "the loss (nan)", lastGood: "/fake/models/weights_1"))
            let text = "\(error)"
            XCTAssertTrue(text.contains("epoch 2, step 9"), text)
            XCTAssertTrue(text.contains("/fake/models/weights_1"), text)
        }
        XCTAssertEqual(fixture.engine.saved.map(\.0), [0, 1])
    }

    func testNonFiniteWeightsAreNeverSaved() throws {
        let fixture = LoopFixture(trainSamples: 4, valBatches: 2, numEpochs: 3, logFrequency: 1, saveFrequency: 1)
        fixture.engine.infiniteWeightsAfterEpoch = 1
        XCTAssertThrowsError(try fixture.makeLoop(selectsBestModel: false).run()) { error in
            XCTAssertEqual(error as? TrainerError, .diverged(epoch: 1, step: 4, what: "the loss (inf)", lastGood: "/fake/models/weights_0"))
        }
        XCTAssertEqual(fixture.engine.saved.map(\.0), [0])
    }

    /// The weights guard on its own: a non-finite weight with a finite loss stops the run at the
    /// next save, naming "a weight" and the last good folder, and nothing is written.
    func testNonFiniteWeightStopsBeforeTheSave() throws {
        let fixture = LoopFixture(trainSamples: 4, valBatches: 2, numEpochs: 3, logFrequency: 100, saveFrequency: 1)
        fixture.engine.nonFiniteWeightsFromEpoch = 1
        XCTAssertThrowsError(try fixture.makeLoop(selectsBestModel: false).run()) { error in
            XCTAssertEqual(error as? TrainerError, .diverged(epoch: 1, step: 8, what: "a weight", lastGood: "/fake/models/weights_0"))
        }
        XCTAssertEqual(fixture.engine.saved.map(\.0), [0])
        // The same guard before weights_best.
        let best = LoopFixture(trainSamples: 4, valBatches: 2, numEpochs: 3, logFrequency: 100, saveFrequency: 5)
        best.engine.nonFiniteWeightsFromEpoch = 0
        XCTAssertThrowsError(try best.makeLoop().run()) { error in
            XCTAssertEqual(error as? TrainerError, .diverged(epoch: 0, step: 4, what: "a weight", lastGood: nil))
        }
        XCTAssertTrue(best.engine.best.isEmpty)
    }

    /// The validation-mean guard: a non-finite mean over the full validation pass stops the run
    /// before weights_best, naming the validation loss.
    func testNonFiniteValidationMeanStops() throws {
        let fixture = LoopFixture(trainSamples: 4, valBatches: 2, numEpochs: 3, logFrequency: 100, saveFrequency: 1)
        fixture.engine.validationLossByEpoch = [2, .nan, 1]
        XCTAssertThrowsError(try fixture.makeLoop().run()) { error in
            XCTAssertEqual(error as? TrainerError, .diverged(epoch: 1, step: 8, what: "the validation loss (nan)",
                                                             lastGood: "/fake/models/weights_0"))
        }
        XCTAssertEqual(fixture.engine.best.map(\.0), [0])
        XCTAssertEqual(fixture.engine.saved.map(\.0), [0])
    }

    func testResumeContinuesExactly() throws {
        // An uninterrupted run of 4 epochs ...
        let straight = LoopFixture(trainSamples: 6, valBatches: 4, numEpochs: 4, logFrequency: 4, saveFrequency: 1)
        try straight.makeLoop().run()
        // ... against one stopped after epoch 1 and resumed from its weights_1.
        let first = LoopFixture(trainSamples: 6, valBatches: 4, numEpochs: 2, logFrequency: 4, saveFrequency: 1)
        try first.makeLoop().run()
        let (epoch, saved) = try XCTUnwrap(first.engine.saved.last)
        XCTAssertEqual(epoch, 1)
        let resumed = LoopFixture(trainSamples: 6, valBatches: 4, numEpochs: 4, logFrequency: 4, saveFrequency: 1)
        resumed.engine.weight = try XCTUnwrap(first.engine.savedWeights[1])
        let loop = resumed.makeLoop(resumeFrom: saved, initialWeights: "/fake/models/weights_1")
        XCTAssertEqual(loop.startEpoch, 2)
        try loop.run()
        XCTAssertEqual(resumed.engine.weight, straight.engine.weight)
        XCTAssertNotEqual(resumed.engine.weight, first.engine.weight)
        XCTAssertEqual(resumed.engine.saved.map(\.1), Array(straight.engine.saved.map(\.1).suffix(2)))
        XCTAssertEqual(resumed.engine.best.map(\.1), straight.engine.best.map(\.1).filter { $0.epoch >= 2 })
        let n = resumed.engine.validatedPersistentBatches.count
        XCTAssertEqual(resumed.engine.validatedPersistentBatches, Array(straight.engine.validatedPersistentBatches.suffix(n)))
        XCTAssertEqual(resumed.sink.logged.map(\.step), Array(straight.sink.logged.map(\.step).suffix(resumed.sink.logged.count)))
        XCTAssertEqual(resumed.sink.timeLines.first?.step, 12)
    }
}

// MARK: - Fakes

/// A batch: the sample index (train), or the validation batch number and the pass of the
/// persistent iterator it came from (pass −1: the full validation pass).
struct FakeBatch: Equatable {
    var epoch: Int
    var index: Int
}

/// A one-number "network": every step mixes the batch, the epoch's random stream and the learning
/// rate into the weight, so any change of order, stream or rate changes the result.
final class FakeEngine: TrainerEngine {
    var weight: Double = 1
    var seed: UInt64
    var stream: UInt64 = 0
    var learningRate = 0.0
    var learningRates: [Double] = []
    var step = 0
    var epoch = 0
    var nanAtStep: Int?
    var infiniteWeightsAfterEpoch: Int?
    /// From this epoch on the weights are reported non-finite while the loss stays finite.
    var nonFiniteWeightsFromEpoch: Int?
    var validationLossByEpoch: [Double]?
    var validatedPersistentBatches: [FakeBatch] = []
    var validatedPersistent: [Int] { validatedPersistentBatches.map(\.index) }
    var validatedInPass: [Int] = []

    init(seed: UInt64) { self.seed = seed }

    func beginEpoch(_ epoch: Int, learningRate: Double) {
        self.epoch = epoch
        self.learningRate = learningRate
        learningRates.append(learningRate)
        stream = seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(epoch) &* 0xBF58_476D_1CE4_E5B9
    }

    func train(_ batch: FakeBatch) throws -> TrainerStepReport<Int> {
        stream = stream &* 6364136223846793005 &+ 1442695040888963407
        weight = weight * (1 - learningRate) + Double(batch.index) * 1e-3 + Double(stream >> 40) * 1e-12
        if infiniteWeightsAfterEpoch == epoch { weight = .infinity }
        defer { step += 1 }
        let loss: Float = step == nanAtStep ? .nan : Float(weight)
        return TrainerStepReport(loss: loss, scalars: [("loss", loss)], outputs: batch.index)
    }

    func validate(_ batch: FakeBatch) throws -> TrainerStepReport<Int> {
        // Validation draws from the same stream as training (like the tie-break noise) and so
        // shapes what follows.
        stream = stream &* 6364136223846793005 &+ 1442695040888963407 &+ UInt64(batch.index)
        if batch.epoch < 0 { validatedInPass.append(batch.index) } else { validatedPersistentBatches.append(batch) }
        let loss = validationLossByEpoch.map { Float($0[epoch]) } ?? Float(weight + Double(batch.index))
        return TrainerStepReport(loss: loss, scalars: [("loss", loss)], outputs: batch.index)
    }

    func depthMetrics(_ batch: FakeBatch, _ outputs: Int) -> [(name: String, value: Float)] {
        [("de/abs_rel", Float(outputs))]
    }

    func parametersAreFinite() -> Bool { weight.isFinite && !(nonFiniteWeightsFromEpoch.map { epoch >= $0 } ?? false) }

    /// `weights_N` and `weights_best` as written, by epoch, with the weight each held.
    var saved: [(Int, TrainerState)] = []
    var savedWeights: [Int: Double] = [:]
    var best: [(Int, TrainerState)] = []
    var savedFolders: [String] = []
    /// Saves from this epoch on fail with `SaveFailure` (a full disk).
    var failSavesFromEpoch: Int?
    struct SaveFailure: Error, CustomStringConvertible { var description: String { "No space left on device" } }

    func saveWeights(to folder: URL, state: TrainerState) throws {
        if let failSavesFromEpoch, state.epoch >= failSavesFromEpoch { throw SaveFailure() }
        savedFolders.append(folder.path)
        if folder.lastPathComponent == "weights_best" {
            best.append((state.epoch, state))
        } else {
            saved.append((state.epoch, state))
            savedWeights[state.epoch] = weight
        }
    }
}

/// Shuffled training batches per epoch and a cycling persistent validation iterator.
final class FakeData: TrainerData {
    let trainSamples: Int
    let validationBatches: Int
    var validationPosition = 0

    init(trainSamples: Int, validationBatches: Int) {
        self.trainSamples = trainSamples
        self.validationBatches = validationBatches
    }

    var batchesPerEpoch: Int { trainSamples }

    func trainBatches(epoch: Int) throws -> BatchIterator<FakeBatch> {
        var index = 0
        let count = trainSamples
        return BatchIterator {
            guard index < count else { return nil }
            defer { index += 1 }
            return FakeBatch(epoch: epoch, index: (index * 5 + epoch) % count)
        }
    }

    func nextValidationBatch() throws -> FakeBatch {
        defer { validationPosition += 1 }
        return FakeBatch(epoch: validationPosition / validationBatches, index: validationPosition % validationBatches)
    }

    func skipValidationBatches(_ count: Int) { validationPosition += count }

    func validationPass() throws -> BatchIterator<FakeBatch> {
        var index = 0
        let count = validationBatches
        return BatchIterator {
            guard index < count else { return nil }
            defer { index += 1 }
            return FakeBatch(epoch: -1, index: index)
        }
    }
}

/// Records every event.
final class FakeSink: TrainerSink {
    struct Logged { var mode: TrainerMode; var step: Int; var names: [String] }
    var epochs: [(Int, Double)] = []
    var batches = 0
    var timeLines: [LoggedBatchTiming] = []
    var logged: [Logged] = []
    var passes: [(epoch: Int, mean: Double, improved: Bool)] = []
    var timings: [EpochTiming] = []

    func epochStarted(_ epoch: Int, learningRate: Double) { epochs.append((epoch, learningRate)) }
    func batchFinished(epoch: Int, batchIndex: Int, step: Int, loss: Float, duration: Double) { batches += 1 }
    func timeLine(_ timing: LoggedBatchTiming) { timeLines.append(timing) }
    func log(_ mode: TrainerMode, step: Int, batch: FakeBatch, report: TrainerStepReport<Int>) throws {
        logged.append(Logged(mode: mode, step: step, names: report.scalars.map(\.name)))
    }
    func epochFinished(_ timing: EpochTiming) { timings.append(timing) }
    func validationPassFinished(epoch: Int, step: Int, meanLoss: Double, bestFolder: URL?) throws {
        passes.append((epoch, meanLoss, bestFolder != nil))
    }
}

final class LoopFixture {
    let engine = FakeEngine(seed: 5)
    let data: FakeData
    let sink = FakeSink()
    let schedule: TrainerSchedule

    init(trainSamples: Int, valBatches: Int, numEpochs: Int, logFrequency: Int, saveFrequency: Int) {
        data = FakeData(trainSamples: trainSamples, validationBatches: valBatches)
        schedule = TrainerSchedule(batchesPerEpoch: trainSamples, numEpochs: numEpochs, logFrequency: logFrequency,
                                   saveFrequency: saveFrequency, learningRate: 1e-3, schedulerStepSize: 2)
    }

    func makeLoop(selectsBestModel: Bool = true, resumeFrom: TrainerState? = nil,
                  initialWeights: String? = nil) -> EpochLoop<FakeEngine, FakeData, FakeSink> {
        var time = 0.0
        return EpochLoop(engine: engine, data: data, sink: sink, schedule: schedule, runFolder: RunFolder(URL(fileURLWithPath: "/fake")), seed: 5,
                         selectsBestModel: selectsBestModel, resumeFrom: resumeFrom, initialWeights: initialWeights,
                         clock: { time += 0.25; return time })
    }
}
