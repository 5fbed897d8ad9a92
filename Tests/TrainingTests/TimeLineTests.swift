import Foundation
import TestSupport
import XCTest
@testable import Training

/// The time line against the original `Trainer.log_time` run on a stub trainer
/// (Tests/Fixtures/training/make_log_time.py writes log_time.json).
final class TimeLineTests: XCTestCase {
    private struct Fixture: Decodable {
        struct Case: Decodable {
            var epoch, batch_idx, batch_size: Int
            var duration: Double
            var loss: String
            var elapsed: Double
            var step, num_total_steps: Int
            var line: String
        }
        var log_time: [Case]
        var sec_to_hm_str: [[HMValue]]
    }

    /// `[seconds, "HHhMMmSSs"]` pairs.
    private enum HMValue: Decodable {
        case number(Double), text(String)
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) { self = .number(number) } else { self = .text(try container.decode(String.self)) }
        }
    }

    private func fixture() throws -> Fixture {
        try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: Fixtures.bundled("training/log_time.json")))
    }

    func testLinesMatchOriginalLogTime() throws {
        let cases = try fixture().log_time
        XCTAssertGreaterThanOrEqual(cases.count, 13)
        for c in cases {
            guard let loss = Double(c.loss) else { return XCTFail("bad loss \(c.loss)") }
            let line = TimeLine.line(epoch: c.epoch, batchIndex: c.batch_idx, batchSize: c.batch_size,
                                     batchDuration: c.duration, loss: Float(loss), elapsed: c.elapsed,
                                     step: c.step, totalSteps: c.num_total_steps)
            XCTAssertEqual(line, c.line)
        }
    }

    func testSecondsToHoursMinutesSecondsMatchesOriginal() throws {
        for pair in try fixture().sec_to_hm_str {
            guard case .number(let seconds) = pair[0], case .text(let text) = pair[1] else { return XCTFail("bad pair") }
            XCTAssertEqual(TimeLine.hoursMinutesSeconds(seconds), text)
        }
        XCTAssertEqual(TimeLine.hoursMinutesSeconds(-12.2), "-1h59m48s")
        XCTAssertEqual(TimeLine.hoursMinutesSeconds(.infinity), "00h00m00s")
    }

    /// Defaults on eigen_zhou (3,317 steps per epoch, log_frequency 250): steps 0, 250, …, 1750,
    /// then every 2000 (§4.2); batch_idx restarts each epoch.
    func testLogCadence() {
        let perEpoch = 3317
        var logged: [Int] = []
        for step in 0..<(3 * perEpoch) where TimeLine.shouldLog(batchIndex: step % perEpoch, step: step, logFrequency: 250) {
            logged.append(step)
        }
        XCTAssertEqual(logged, [0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000, 4000, 6000, 8000])
        // Early phase after an epoch boundary: batch_idx 0 of epoch 1 at step 100 (tiny epochs).
        XCTAssertTrue(TimeLine.shouldLog(batchIndex: 0, step: 100, logFrequency: 250))
        XCTAssertFalse(TimeLine.shouldLog(batchIndex: 5, step: 105, logFrequency: 250))
    }
}
