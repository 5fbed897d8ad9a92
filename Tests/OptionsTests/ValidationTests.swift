import CommandLineKit
import XCTest
@testable import Options

/// Each validation error, with its message naming the flag and the value.
final class ValidationTests: XCTestCase {
    func error(_ arguments: [String], for purpose: OptionsPurpose = .training) throws -> OptionsError? {
        let options = try MonodepthOptions.parse(arguments, program: "train")
        do {
            try options.validate(for: purpose)
            return nil
        } catch {
            return error
        }
    }

    func testDefaultsAreValidForTraining() throws {
        XCTAssertNil(try error([]))
        XCTAssertNil(try error(["--use_stereo", "--frame_ids", "0", "--height", "320", "--width", "1024"]))
        XCTAssertNil(try error(["--predictive_mask", "--disable_automasking", "--load_weights_folder", "w",
                                "--models_to_load", "encoder", "predictive_mask"]))
    }

    func testHeightAndWidthMultiplesOf32() throws {
        let height = try error(["--height", "100"])
        XCTAssertEqual(height, .notMultipleOf32(flag: "height", value: 100))
        XCTAssertEqual(height?.description, "argument --height: 100 is not a positive multiple of 32")
        XCTAssertEqual(try error(["--width", "0"]), .notMultipleOf32(flag: "width", value: 0))
    }

    func testFrameIDsStartWithZeroOnce() throws {
        let first = try error(["--frame_ids", "-1", "0", "1"])
        XCTAssertEqual(first, .frameIDsMustStartWithZero([-1, 0, 1]))
        XCTAssertEqual(first?.description, "argument --frame_ids: frame_ids must start with 0 (got -1 0 1)")
        let repeated = try error(["--frame_ids", "0", "1", "1"])
        XCTAssertEqual(repeated, .repeatedValue(flag: "frame_ids", value: 1))
        XCTAssertEqual(repeated?.description, "argument --frame_ids: 1 is given twice")
    }

    func testScalesWithinTheDecoder() throws {
        let out = try error(["--scales", "0", "4"])
        XCTAssertEqual(out, .scaleOutOfRange(4))
        XCTAssertEqual(out?.description, "argument --scales: 4 is not a decoder scale (choose from 0, 1, 2, 3)")
        XCTAssertEqual(try error(["--scales", "-1"]), .scaleOutOfRange(-1))
        XCTAssertEqual(try error(["--scales", "0", "0"]), .repeatedValue(flag: "scales", value: 0))
    }

    /// Without --v1_multiscale every scale is warped at scale 0, so 0 must be among --scales (the original
    /// stops with KeyError: 0 in generate_images_pred; ours crashed on a force-unwrap in the step).
    func testScalesWithoutZeroNeedV1Multiscale() throws {
        let missing = try error(["--scales", "1", "2"])
        XCTAssertEqual(missing, .scalesWithoutZero([1, 2]))
        XCTAssertEqual(missing?.description, "argument --scales: 1 2 has no 0: without --v1_multiscale every scale's "
                       + "depth is upsampled and warped at scale 0 (the original stops with KeyError: 0 in "
                       + "generate_images_pred, backproject_depth[source_scale]); add 0 or pass --v1_multiscale")
        XCTAssertEqual(try error(["--scales", "3"]), .scalesWithoutZero([3]))
        // With --v1_multiscale each scale is warped at its own size, and the original's step runs (loss 0.0555893
        // on the loss fixture's batch, mono+stereo): accepted.
        XCTAssertNil(try error(["--scales", "1", "2", "--v1_multiscale"]))
        XCTAssertNil(try error(["--scales", "2", "0"]))
    }

    func testPredictiveMaskNeedsDisableAutomasking() throws {
        let failure = try error(["--predictive_mask"])
        XCTAssertEqual(failure, .predictiveMaskNeedsDisableAutomasking)
        XCTAssertTrue(failure?.description.contains("--predictive_mask") ?? false)
        XCTAssertTrue(failure?.description.contains("--disable_automasking") ?? false)
    }

    func testNumbersWithinTheirRanges() throws {
        let batch = try error(["--batch_size", "0"])
        XCTAssertEqual(batch, .tooSmall(flag: "batch_size", value: "0", minimum: "1"))
        XCTAssertEqual(batch?.description, "argument --batch_size: 0 is below the minimum 1")
        XCTAssertEqual(try error(["--num_epochs", "0"]), .tooSmall(flag: "num_epochs", value: "0", minimum: "1"))
        XCTAssertEqual(try error(["--scheduler_step_size", "0"]), .tooSmall(flag: "scheduler_step_size", value: "0", minimum: "1"))
        XCTAssertEqual(try error(["--num_workers", "-1"]), .tooSmall(flag: "num_workers", value: "-1", minimum: "0"))
        XCTAssertEqual(try error(["--log_frequency", "0"]), .tooSmall(flag: "log_frequency", value: "0", minimum: "1"))
        XCTAssertEqual(try error(["--save_frequency", "0"]), .tooSmall(flag: "save_frequency", value: "0", minimum: "1"))
        let rate = try error(["--learning_rate", "0"])
        XCTAssertEqual(rate, .notPositive(flag: "learning_rate", value: 0))
        XCTAssertEqual(rate?.description, "argument --learning_rate: 0.0 must be positive")
        let range = try error(["--min_depth", "10", "--max_depth", "5"])
        XCTAssertEqual(range, .depthRange(minDepth: 10, maxDepth: 5))
        XCTAssertTrue(range?.description.contains("--min_depth 10.0 and --max_depth 5.0") ?? false)
        XCTAssertEqual(try error(["--min_depth", "0"]), .depthRange(minDepth: 0, maxDepth: 100))
    }

    func testEvaluationModes() throws {
        let neither = try error([], for: .evaluation)
        XCTAssertEqual(neither, .evaluationMode(evalMono: false, evalStereo: false))
        XCTAssertTrue(neither?.description.hasPrefix(
            "Please choose mono or stereo evaluation by setting either --eval_mono or --eval_stereo") ?? false)
        XCTAssertEqual(try error(["--eval_mono", "--eval_stereo"], for: .evaluation), .evaluationMode(evalMono: true, evalStereo: true))
        XCTAssertNil(try error(["--eval_mono"], for: .evaluation))
        XCTAssertNil(try error(["--eval_split", "odom_9"], for: .evaluation))
        // Training rules do not apply to evaluate (the original evaluate_depth ignores them).
        XCTAssertNil(try error(["--eval_stereo", "--predictive_mask", "--height", "100"], for: .evaluation))
        XCTAssertEqual(try error(["--eval_split", "odom_9", "--height", "100"], for: .evaluation),
                       .notMultipleOf32(flag: "height", value: 100))
    }

    func testRunMainTreatsValidationErrorsAsUsageErrors() {
        let outcome = MainOutcome(error: OptionsError.scaleOutOfRange(5))
        XCTAssertEqual(outcome.status, 2)
        XCTAssertEqual(outcome.message, "error: argument --scales: 5 is not a decoder scale (choose from 0, 1, 2, 3)\n")
    }
}
