import ArrayIO
import CommandLineKit
import Foundation
import KITTIData
import Options
import TestSupport
import XCTest
@testable import Evaluation

/// evaluate's and export-gt's command lines over the shared options, and the synthetic split.
final class EvaluateCommandLineTests: XCTestCase {
    /// The original parser's flags, recorded by Tests/Fixtures/options/make_options.py.
    func originalFlags() throws -> [String] {
        let data = try Data(contentsOf: Fixtures.bundled("options/actions.json"))
        let actions = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        return actions.compactMap { $0["flag"] as? String }
    }

    func testHelpListsEveryOriginalFlag() throws {
        let help = EvaluateCommandLine().flags.helpText
        let heads = help.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  --") else { return nil }
            return String(line.dropFirst(2).prefix { $0 != " " })
        }
        let flags = try originalFlags()
        XCTAssertEqual(flags.count, 44)
        XCTAssertEqual(Array(heads.prefix(44)), flags, "every original flag, in options.py's order")
        XCTAssertEqual(Array(heads.dropFirst(44)), ["--gt_path"])
        XCTAssertTrue(help.contains("--eval_split {eigen,eigen_benchmark,benchmark,odom_9,odom_10,synthetic}"))
        for line in help.split(separator: "\n") {
            XCTAssertLessThanOrEqual(line.count, 100, "help line too long: \(line)")
        }
        XCTAssertThrowsError(try EvaluateCommandLine().parse(["--help"])) { error in
            XCTAssertEqual(MainOutcome(error: error), MainOutcome(error: CommandLineError.helpRequested(help)))
        }
    }

    func testPastedCommandLines() throws {
        // monodepth2's README evaluation command, with training flags as in a pasted train command.
        let options = try EvaluateCommandLine().parse(
            ("--load_weights_folder ~/tmp/mono_model/models/weights_19/ --eval_mono --eval_split eigen_benchmark "
             + "--models_to_load encoder depth --post_process --frame_ids 0 --use_stereo --split eigen_full "
             + "--data_path /kitti --num_layers 50 --gt_path gt.npz").split(separator: " ").map(String.init))
        XCTAssertTrue(options.evalMono)
        XCTAssertFalse(options.evalStereo)
        XCTAssertEqual(options.evalSplit, .eigenBenchmark)
        XCTAssertTrue(options.postProcess)
        XCTAssertEqual(options.numLayers, 50)
        XCTAssertEqual(options.dataPath, "/kitti")
        XCTAssertEqual(options.gtPath, "gt.npz")
        XCTAssertEqual(options.loadWeightsFolder, "~/tmp/mono_model/models/weights_19/")
        XCTAssertEqual(options.shared.modelsToLoad, [.encoder, .depth])
        let defaults = try EvaluateCommandLine().parse(["--eval_stereo"])
        XCTAssertTrue(defaults.dataPath.hasSuffix("/kitti_data"))
        XCTAssertEqual(defaults.predDepthScaleFactor, 1)
        XCTAssertEqual(defaults.evalSplit, .eigen)
        XCTAssertNil(defaults.gtPath)
        // Pose splits need no evaluation mode.
        XCTAssertEqual(try EvaluateCommandLine().parse(["--eval_split", "odom_9"]).evalSplit, .odom9)
    }

    func testBadCommandLinesAreUsageErrors() {
        // A unique prefix is the flag, as with argparse.
        XCTAssertTrue((try? EvaluateCommandLine().parse(["--eval_mono", "--post_proces"]))?.postProcess ?? false)
        XCTAssertThrowsError(try EvaluateCommandLine().parse(["--eval_mono", "--post_procss"])) { error in
            XCTAssertEqual(error as? CommandLineError, .unknownFlag("--post_procss", suggestion: "post_process"))
            XCTAssertEqual(MainOutcome(error: error).status, 2)
        }
        XCTAssertThrowsError(try EvaluateCommandLine().parse([])) { error in
            XCTAssertEqual(error as? OptionsError, .evaluationMode(evalMono: false, evalStereo: false))
            XCTAssertEqual(MainOutcome(error: error).status, 2)
        }
        XCTAssertThrowsError(try EvaluateCommandLine().parse(["--eval_mono", "--eval_stereo"])) { error in
            XCTAssertEqual(error as? OptionsError, .evaluationMode(evalMono: true, evalStereo: true))
        }
        XCTAssertThrowsError(try EvaluateCommandLine().parse(["--eval_mono", "--seed", "1"])) { error in
            guard case .unknownFlag("--seed", _)? = error as? CommandLineError else { return XCTFail("\(error)") }
        }
    }

    /// `--eval_split synthetic` reads `<data_path>/splits/synthetic/gt_depths.npz` and evaluates it as
    /// eigen is evaluated (crop and 1e-3..80 m): the original's eigen output for the same files.
    func testSyntheticSplitReadsGroundTruthFromTheDataPath() throws {
        let data = try EvalFixtures.temporaryFolder(self)
        let split = data.appendingPathComponent("splits/synthetic")
        try FileManager.default.createDirectory(at: split, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: try EvalFixtures.url("gt_depths.npz"), to: split.appendingPathComponent("gt_depths.npz"))
        let predictions = try EvalFixtures.url("pred_disps.npy").path
        let options = try EvaluateCommandLine().parse(["--eval_mono", "--eval_split", "synthetic", "--data_path", data.path,
                                                       "--ext_disp_to_eval", predictions])
        var printed = ""
        try EvaluationRun(options: options) { printed += $0 }.run()
        let document = try EvalFixtures.expected("eval_mono")
        let expected = try XCTUnwrap(document["printed"] as? String)
        XCTAssertEqual(printed, expected.replacingOccurrences(of: "from pred_disps.npy", with: "from \(predictions)"))
    }

    /// With a model, the synthetic test list is `<data_path>/splits/synthetic/test_files.txt`.
    func testSyntheticSplitReadsTheTestListFromTheDataPath() throws {
        struct Recorder: DisparityPredictor {
            let seen: Box
            mutating func load(weightsFolder: URL, numLayers: Int) throws -> (width: Int, height: Int) { (64, 32) }
            func predictDisparities(entries: [SplitEntry], dataPath: URL, postProcess: Bool, minDepth: Double,
                                    maxDepth: Double, progress: (@Sendable (Int, Int) -> Void)?) throws -> Disparities {
                seen.entries = entries
                seen.dataPath = dataPath
                return .float32(MapStack(count: 0, height: 0, width: 0, values: []))
            }
        }
        final class Box { var entries: [SplitEntry] = []; var dataPath: URL? }
        let data = try EvalFixtures.temporaryFolder(self)
        let split = data.appendingPathComponent("splits/synthetic")
        try FileManager.default.createDirectory(at: split, withIntermediateDirectories: true)
        try "town/town_drive_0001_sync 5 l\ntown/town_drive_0001_sync 6 r\n"
            .write(to: split.appendingPathComponent("test_files.txt"), atomically: true, encoding: .utf8)
        let options = try EvaluateCommandLine().parse(["--eval_mono", "--eval_split", "synthetic", "--data_path", data.path,
                                                       "--load_weights_folder", data.path, "--no_eval"])
        let box = Box()
        var printed = ""
        var run = EvaluationRun(options: options) { printed += $0 }
        run.depthPredictor = Recorder(seen: box)
        try run.run()
        XCTAssertEqual(box.entries.map(\.frameIndex), [5, 6])
        XCTAssertEqual(box.dataPath?.path, data.path)
        XCTAssertTrue(printed.hasSuffix("-> Evaluation disabled. Done.\n"), printed)
    }

    /// `export-gt --split synthetic` projects the world's velodyne scans like eigen, from
    /// `<data_path>/splits/synthetic/test_files.txt`, and writes gt_depths.npz beside it.
    func testExportGTSyntheticSplit() throws {
        let raw = try KittiGroundTruthTests.raw()
        let testFiles = try Fixtures.reference("kitti/test_files.txt")
        let groundTruth = try Fixtures.reference("kitti/gt_depths.npz")
        let data = try EvalFixtures.temporaryFolder(self)
        try FileManager.default.createSymbolicLink(at: data.appendingPathComponent("2011_09_26"),
                                                   withDestinationURL: raw.appendingPathComponent("2011_09_26"))
        let split = data.appendingPathComponent("splits/synthetic")
        try FileManager.default.createDirectory(at: split, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: testFiles, to: split.appendingPathComponent("test_files.txt"))
        let parsed = try ExportCommandLine().parse(["--data_path", data.path, "--split", "synthetic"])
        XCTAssertEqual(parsed.split, .synthetic)
        var printed = ""
        let run = GroundTruthExportRun(dataPath: URL(fileURLWithPath: parsed.dataPath), split: parsed.split) { printed += $0 }
        XCTAssertEqual(run.listURL.path, split.appendingPathComponent("test_files.txt").path)
        try run.run()
        XCTAssertEqual(printed, "Exporting ground truth depths for synthetic\nSaving to synthetic\n")
        let written = try ArrayFiles.readGroundTruth(split.appendingPathComponent("gt_depths.npz"))
        let reference = try XCTUnwrap(try NPZ.read(contentsOf: groundTruth)["data"]?.array)
        XCTAssertEqual(written.flatMap(\.values), reference.values(as: Float.self))
    }
}
