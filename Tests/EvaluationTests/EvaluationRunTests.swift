import ArrayIO
import Foundation
import TestSupport
import XCTest
@testable import Evaluation

/// evaluate end to end: printed output character for character against the original's stdout
/// (expected.json `printed`), option handling and the typed errors bad inputs give.
final class EvaluationRunTests: XCTestCase {
    func options(stereo: Bool = false, predictions: String? = nil) throws -> EvaluationOptions {
        var options = EvaluationOptions()
        options.evalMono = !stereo
        options.evalStereo = stereo
        options.extDispToEval = try predictions ?? EvalFixtures.url("pred_disps.npy").path
        options.gtPath = try EvalFixtures.url("gt_depths.npz").path
        return options
    }

    func run(_ options: EvaluationOptions) throws -> String {
        var printed = ""
        try EvaluationRun(options: options) { printed += $0 }.run()
        return printed
    }

    func testPrintedOutputEqualsTheOriginal() throws {
        for (name, stereo) in [("eval_mono", false), ("eval_stereo", true)] {
            let document = try EvalFixtures.expected(name)
            let expected = try XCTUnwrap(document["printed"] as? String)
            let path = try EvalFixtures.url("pred_disps.npy").path
            let printed = try run(try options(stereo: stereo))
            // The original ran with the relative path `pred_disps.npy`.
            XCTAssertEqual(printed, expected.replacingOccurrences(of: "from pred_disps.npy", with: "from \(path)"), name)
        }
    }

    /// The built `evaluate` executable, run like the original was (from the fixture folder with a
    /// relative path): stdout must equal `printed` exactly. Skipped when the binary is not built.
    func testExecutableStdoutEqualsTheOriginal() throws {
        let binary = try Executables.url(named: "evaluate")
        let folder = try EvalFixtures.folder()
        for (name, flag) in [("eval_mono", "--eval_mono"), ("eval_stereo", "--eval_stereo")] {
            let process = Process()
            process.executableURL = binary
            process.currentDirectoryURL = folder
            process.arguments = [flag, "--ext_disp_to_eval", "pred_disps.npy", "--gt_path", "gt_depths.npz"]
            let stdout = Pipe(), stderr = Pipe()
            process.standardOutput = stdout
            process.standardError = stderr
            try process.run()
            let output = stdout.fileHandleForReading.readDataToEndOfFile()
            _ = stderr.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, name)
            let expected = try EvalFixtures.expected(name)["printed"] as? String
            XCTAssertEqual(String(decoding: output, as: UTF8.self), expected, name)
        }
    }

    func testFlagRulesAndUnavailableModel() throws {
        var both = try options()
        both.evalStereo = true
        XCTAssertThrowsError(try run(both)) { error in
            XCTAssertEqual(error as? EvaluationError, .invalidOptions(
                "Please choose mono or stereo evaluation by setting either --eval_mono or --eval_stereo"))
        }
        let folder = try EvalFixtures.temporaryFolder(self)
        var model = try options()
        model.extDispToEval = nil
        model.loadWeightsFolder = folder.path
        XCTAssertThrowsError(try run(model)) { error in
            XCTAssertEqual(error as? EvaluationError, .unavailable(EvaluationRun.modelUnavailable))
        }
        model.loadWeightsFolder = folder.appendingPathComponent("missing").path
        XCTAssertThrowsError(try run(model)) { error in
            guard case EvaluationError.missingFile(let path, _) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(path.hasSuffix("missing"))
        }
        var pose = try options()
        pose.evalSplit = .odom9
        pose.loadWeightsFolder = folder.path
        pose.splitsDirectory = Fixtures.repositoryRoot.appendingPathComponent("splits")  // = reference/splits
        XCTAssertThrowsError(try run(pose)) { error in
            XCTAssertEqual(error as? EvaluationError, .unavailable(EvaluationRun.modelUnavailable))
        }
    }

    func testBadPredictionAndGroundTruthFiles() throws {
        let folder = try EvalFixtures.temporaryFolder(self)
        // A 2-D prediction array.
        let flat = folder.appendingPathComponent("flat.npy")
        try NPY.write(NDArray(shape: [192, 640], floats: Array(repeating: 1, count: 192 * 640)), to: flat)
        XCTAssertThrowsError(try run(try options(predictions: flat.path))) { error in
            XCTAssertEqual(error as? EvaluationError, .badShape(path: flat.path, expected: "disparities of shape (N, H, W)",
                                                                found: "shape [192, 640]"))
        }
        // Integer predictions.
        let ints = folder.appendingPathComponent("ints.npy")
        try NPY.write(NDArray(elementType: .int32, shape: [1, 2, 2], bytes: Array(repeating: 0, count: 16)), to: ints)
        XCTAssertThrowsError(try run(try options(predictions: ints.path))) { error in
            guard case EvaluationError.badShape(ints.path, _, _) = error else { return XCTFail("\(error)") }
        }
        // Not a .npy at all, and a missing file.
        let junk = folder.appendingPathComponent("junk.npy")
        try Data("hello".utf8).write(to: junk)
        XCTAssertThrowsError(try run(try options(predictions: junk.path))) { error in
            guard case EvaluationError.malformedFile(junk.path, _) = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try run(try options(predictions: folder.appendingPathComponent("none.npy").path))) { error in
            guard case EvaluationError.missingFile = error else { return XCTFail("\(error)") }
        }
        // Ground truth with 5 maps for 6 predictions.
        let fewer = folder.appendingPathComponent("gt5.npz")
        try ArrayFiles.writeGroundTruth(Array(try EvalFixtures.groundTruth().prefix(5)), to: fewer)
        var mismatched = try options()
        mismatched.gtPath = fewer.path
        XCTAssertThrowsError(try run(mismatched)) { error in
            guard case EvaluationError.countMismatch(fewer.path, _, 6, 5) = error else { return XCTFail("\(error)") }
        }
        // An archive without 'data'.
        let noData = folder.appendingPathComponent("nodata.npz")
        try NPZ.write([("depths", .array(NDArray(shape: [1, 2, 2], floats: [1, 2, 3, 4])))], to: noData, compressed: true)
        XCTAssertThrowsError(try ArrayFiles.readGroundTruth(noData)) { error in
            XCTAssertEqual(error as? EvaluationError, .malformedFile(path: noData.path, problem: "no 'data' array (keys: depths)"))
        }
    }

    func testNoEvalSaveAndEigenToBenchmark() throws {
        let folder = try EvalFixtures.temporaryFolder(self)
        // A splits folder with a 3-entry eigen_to_benchmark_ids.npy.
        let splits = folder.appendingPathComponent("splits")
        try FileManager.default.createDirectory(at: splits.appendingPathComponent("benchmark"), withIntermediateDirectories: true)
        let ids: [Int64] = [5, 0, 2]
        try NPY.write(NDArray(elementType: .int64, shape: [3], bytes: ids.withUnsafeBytes { Array($0) }),
                      to: splits.appendingPathComponent("benchmark/eigen_to_benchmark_ids.npy"))
        var saving = try options()
        saving.splitsDirectory = splits
        saving.evalEigenToBenchmark = true
        saving.evalSplit = .eigenBenchmark
        saving.savePredDisps = true
        saving.noEval = true
        saving.loadWeightsFolder = folder.path
        let printed = try run(saving)
        let saved = folder.appendingPathComponent("disps_eigen_benchmark_split.npy")
        let predictions = try EvalFixtures.url("pred_disps.npy").path
        XCTAssertEqual(printed, "-> Loading predictions from \(predictions)\n"
                       + "-> Saving predicted disparities to  \(saved.path)\n-> Evaluation disabled. Done.\n")
        let original = try EvalFixtures.float32Stack("pred_disps.npy")
        guard case .float32(let reread) = try ArrayFiles.readDisparities(saved) else { return XCTFail("not float32") }
        XCTAssertEqual(reread, original.gathering([5, 0, 2]))

        try NPY.write(NDArray(elementType: .int64, shape: [1], bytes: [Int64(6)].withUnsafeBytes { Array($0) }),
                      to: splits.appendingPathComponent("benchmark/eigen_to_benchmark_ids.npy"))
        XCTAssertThrowsError(try run(saving)) { error in
            guard case EvaluationError.malformedFile(_, let problem) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(problem, "index 6 is outside the 6 predictions")
        }
        var orphan = try options()
        orphan.savePredDisps = true
        XCTAssertThrowsError(try run(orphan)) { error in
            guard case EvaluationError.invalidOptions = error else { return XCTFail("\(error)") }
        }
    }

    /// `np.uint16(np.clip(5.4 / disp, 0, 80) * 256)` printed by NumPy 2.4.6 for
    /// disp = [0.01, 0.0675, 0.1, 0.3, 1.0, 3.3, 7.77, 0.0] as float32 and as float64.
    func testBenchmarkDepthEncoding() {
        let disparities: [Float] = [0.01, 0.0675, 0.1, 0.3, 1.0, 3.3, 7.77, 0.0]
        XCTAssertEqual(BenchmarkPredictions.encode(disparities), [20480, 20480, 13824, 4608, 1382, 418, 177, 20480])
        XCTAssertEqual(BenchmarkPredictions.encode(disparities.map(Double.init)), [20480, 20479, 13823, 4607, 1382, 418, 177, 20480])
        XCTAssertEqual(BenchmarkPredictions.encode([Float.nan]), [0])
    }
}
