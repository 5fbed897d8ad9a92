import Foundation
import XCTest
@testable import Training

/// The epoch loop's stops that a user acts on, with the fake engine: a signal between two steps
/// names the last complete weights folder; a failed save names the folder, the run folder, the last
/// good weights and the cause.
final class EpochLoopSafetyTests: XCTestCase {
    func testStopRequestNamesTheLastCompleteFolder() throws {
        // 7 steps per epoch, weights_N after each: a SIGTERM seen after step 10 (epoch 1).
        let fixture = LoopFixture(trainSamples: 7, valBatches: 2, numEpochs: 3, logFrequency: 100, saveFrequency: 1)
        let loop = fixture.makeLoop(selectsBestModel: false)
        var requested: Int32?
        loop.stopRequested = { steps in
            if steps == 10 { requested = SIGTERM }
            return requested
        }
        XCTAssertThrowsError(try loop.run()) { error in
            XCTAssertEqual(error as? TrainerError, .interrupted(signal: SIGTERM, epoch: 1, step: 10, lastGood: "/fake/models/weights_0"))
            XCTAssertEqual("\(error)", "stopped by SIGTERM at epoch 1, step 10: the last complete weights folder is /fake/models/weights_0")
        }
        XCTAssertEqual(fixture.engine.savedFolders, ["/fake/models/weights_0"])

        // Requested during an epoch's last step: the epoch's weights are saved first.
        let last = LoopFixture(trainSamples: 7, valBatches: 2, numEpochs: 3, logFrequency: 100, saveFrequency: 1)
        let lastLoop = last.makeLoop(selectsBestModel: false)
        lastLoop.stopRequested = { steps in steps >= 7 ? SIGINT : nil }
        XCTAssertThrowsError(try lastLoop.run()) { error in
            XCTAssertEqual(error as? TrainerError, .interrupted(signal: SIGINT, epoch: 0, step: 7, lastGood: "/fake/models/weights_0"))
        }
        XCTAssertEqual(last.engine.savedFolders, ["/fake/models/weights_0"])

        // Before any save of a new run: no folder to name.
        let early = LoopFixture(trainSamples: 7, valBatches: 2, numEpochs: 3, logFrequency: 100, saveFrequency: 1).makeLoop()
        early.stopRequested = { _ in SIGINT }
        XCTAssertThrowsError(try early.run()) { error in
            XCTAssertEqual(error as? TrainerError, .interrupted(signal: SIGINT, epoch: 0, step: 1, lastGood: nil))
        }
        // A resumed run: the folder it resumed from.
        let resumed = LoopFixture(trainSamples: 7, valBatches: 2, numEpochs: 3, logFrequency: 100, saveFrequency: 1)
            .makeLoop(resumeFrom: TrainerState(epoch: 0, globalStep: 7, seed: 5), initialWeights: "/fake/models/weights_0")
        resumed.stopRequested = { _ in SIGINT }
        XCTAssertThrowsError(try resumed.run()) { error in
            XCTAssertEqual(error as? TrainerError, .interrupted(signal: SIGINT, epoch: 1, step: 8, lastGood: "/fake/models/weights_0"))
        }
    }

    func testFailedSaveNamesFolderRunFolderLastGoodWeightsAndCause() throws {
        let fixture = LoopFixture(trainSamples: 3, valBatches: 2, numEpochs: 3, logFrequency: 100, saveFrequency: 1)
        fixture.engine.failSavesFromEpoch = 2
        XCTAssertThrowsError(try fixture.makeLoop(selectsBestModel: false).run()) { error in
            XCTAssertEqual(error as? TrainerError, .saveFailed(folder: "/fake/models/weights_2", lastGood: "/fake/models/weights_1",
                                                               cause: "No space left on device"))
            XCTAssertEqual("\(error)", "cannot save /fake/models/weights_2 (run folder /fake): No space left on device; nothing of it "
                + "was kept; the last good weights are in /fake/models/weights_1 (continue with --resume /fake/models/weights_1)")
        }
    }
}
