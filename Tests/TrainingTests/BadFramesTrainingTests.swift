import Foundation
import KITTIData
import Options
import XCTest
@testable import Training

/// A truncated JPEG in the middle of the training split (about 18 s: two 1-epoch runs of 9 steps):
/// reported once, its items replaced by the
/// next ones and counted in the epoch line; two runs with the same seed (0 and 2 loader threads)
/// end with the same weights; above `--max_bad_frames` the run stops naming the file, and
/// `--check_images` finds it before training.
final class BadFramesTrainingTests: XCTestCase {
    func testTruncatedImageIsSkippedCountedAndReproducible() throws {
        let world = try TrainerWorldFixture.world.get()
        let root = TrainerWorldFixture.scratchFolder("bad-frames")
        defer { try? FileManager.default.removeItem(at: root) }
        let copy = root.appendingPathComponent("world")
        try FileManager.default.copyItem(at: world, to: copy)
        func options(_ log: String, workers: Int) -> MonodepthOptions {
            var options = TrainerWorldFixture.options(dataPath: copy, logDir: root.appendingPathComponent(log), epochs: 1, workers: workers)
            options.disableBestModel = true
            return options
        }
        // The middle line's own image (frame id 0), cut to half its bytes.
        let dataset = try TrainerDataFactory.make(options: options("probe", workers: 0), seed: 11).trainLoader.dataset
        let entry = dataset.entries[dataset.count / 2]
        let bad = try XCTUnwrap(entry.imagePaths.first)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: bad))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: bad))

        var weights: [[String: [UInt8]]] = []
        for (run, workers) in [("a", 0), ("b", 2)] {
            var lines = try TrainerWorldFixture.train(options(run, workers: workers))
            lines = lines.filter { !$0.isEmpty }
            let warnings = lines.filter { $0.hasPrefix("warning:") }
            XCTAssertEqual(warnings.count, 1, lines.joined(separator: "\n"))
            // The split line where it was met first (the training split, or the validation batch of step 0).
            XCTAssertTrue(warnings.first?.hasPrefix("warning: \(bad) (") == true, "\(warnings)")
            let epochLine = try XCTUnwrap(lines.first { $0.hasPrefix("epoch   0 |") && $0.contains("steps,") }, lines.joined(separator: "\n"))
            XCTAssertTrue(epochLine.contains("skipped (bad images)"), epochLine)
            print("[bad frames] \(warnings[0])\n[bad frames] \(epochLine)")
            weights.append(try TrainerWorldFixture.tensors(in: root.appendingPathComponent("\(run)/tiny/models/weights_0")))
            // TensorBoard counts them too (train run, per epoch).
            let events = root.appendingPathComponent("\(run)/tiny/train")
            let eventFile = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: events.path).first)
            XCTAssertTrue(String(decoding: try Data(contentsOf: events.appendingPathComponent(eventFile)), as: UTF8.self)
                            .contains("data/skipped_items"), "no data/skipped_items in \(eventFile)")
        }
        XCTAssertEqual(weights[0].count, weights[1].count)
        XCTAssertTrue(weights[0].keys.allSatisfy { weights[0][$0] == weights[1][$0] }, "same seed, different weights")

        // Above the threshold: the run stops, naming the file.
        var strict = options("strict", workers: 2)
        strict.maxBadFrames = 0
        XCTAssertThrowsError(try TrainerWorldFixture.train(strict)) { error in
            XCTAssertEqual(error as? KITTIDataError, .tooManyBadImages(limit: 0, paths: [bad]))
        }
        // The up-front check finds it before any step.
        strict.checkImages = true
        XCTAssertThrowsError(try TrainerWorldFixture.train(strict)) { error in
            XCTAssertEqual(error as? KITTIDataError, .tooManyBadImages(limit: 0, paths: [bad]))
        }
        var checked = options("checked", workers: 0)
        checked.checkImages = true
        checked.numEpochs = 1
        let sizes = try TrainerDataFactory.make(options: checked, seed: 11, report: { _ in })
        XCTAssertEqual(sizes.badFrames?.badFiles, [bad])
        XCTAssertEqual(sizes.skippedItems, 0)
    }
}
