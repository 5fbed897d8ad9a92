import CommandLineKit
import XCTest
@testable import Options

/// The original scripts' command lines (monodepth2's README and argparse's syntax) through the shared
/// table: defaults, negative numbers, `=`, prefixes, choices, typos and value errors.
final class OriginalCommandLineTests: XCTestCase {
    func testDefaultsWhenNothingIsGiven() throws {
        let options = try parse("")
        XCTAssertTrue(options.dataPath.hasSuffix("/kitti_data"))
        XCTAssertEqual(options.height, 192)
        XCTAssertEqual(options.width, 640)
        XCTAssertEqual(options.scales, [0, 1, 2, 3])
        XCTAssertEqual(options.frameIDs, [0, -1, 1])
        XCTAssertEqual(options.disparitySmoothness, 1e-3)
        XCTAssertEqual(options.learningRate, 1e-4)
        XCTAssertNil(options.loadWeightsFolder)
        XCTAssertEqual(options.modelsToLoad, [.encoder, .depth, .poseEncoder, .pose])
        XCTAssertEqual(options.evalSplit, .eigen)
        XCTAssertFalse(options.png || options.useStereo || options.evalMono || options.evalStereo || options.postProcess)
    }

    func testReadmeTrainingCommandLines() throws {
        // From monodepth2's README (training section).
        let mono = try parse("--model_name mono_model")
        XCTAssertEqual(mono.modelName, "mono_model")
        let stereo = try parse("--model_name stereo_model --frame_ids 0 --use_stereo --split eigen_full")
        XCTAssertEqual(stereo.frameIDs, [0])
        XCTAssertTrue(stereo.useStereo)
        XCTAssertEqual(stereo.split, .eigenFull)
        let both = try parse("--model_name mono+stereo_model --frame_ids 0 -1 1 --use_stereo")
        XCTAssertEqual(both.frameIDs, [0, -1, 1])
        let finetune = try parse(
            "--model_name finetuned_mono --load_weights_folder ~/tmp/mono_model/models/weights_19 --learning_rate 1e-5 --png")
        XCTAssertEqual(finetune.loadWeightsFolder, "~/tmp/mono_model/models/weights_19")
        XCTAssertEqual(finetune.learningRate, 1e-5)
        XCTAssertTrue(finetune.png)
        let big = try parse("--height 320 --width 1024 --num_layers 50 --scales 0 1 --data_path /data/kitti")
        XCTAssertEqual([big.height, big.width, big.numLayers], [320, 1024, 50])
        XCTAssertEqual(big.scales, [0, 1])
        XCTAssertEqual(big.dataPath, "/data/kitti")
    }

    func testReadmeEvaluationCommandLine() throws {
        let options = try parse(
            "--load_weights_folder ~/tmp/mono_model/models/weights_19/ --eval_mono --eval_split eigen_benchmark "
            + "--models_to_load encoder depth --post_process")
        XCTAssertTrue(options.evalMono)
        XCTAssertFalse(options.evalStereo)
        XCTAssertEqual(options.evalSplit, .eigenBenchmark)
        XCTAssertEqual(options.modelsToLoad, [.encoder, .depth])
        XCTAssertTrue(options.postProcess)
    }

    func testNegativeNumbersAreValuesNotFlags() throws {
        let options = try parse("--frame_ids -1 0 1 --min_depth -0.5 --height 96")
        XCTAssertEqual(options.frameIDs, [-1, 0, 1])
        XCTAssertEqual(options.minDepth, -0.5)
        XCTAssertEqual(options.height, 96)
        // A list stops at the next flag.
        let stop = try parse("--frame_ids 0 -1 1 --png --scales 0")
        XCTAssertEqual(stop.frameIDs, [0, -1, 1])
        XCTAssertTrue(stop.png)
        XCTAssertEqual(stop.scales, [0])
        XCTAssertEqual(try parse("--min_depth -.5").minDepth, -0.5)
        XCTAssertEqual(try parse("--disparity_smoothness -1e-3").disparitySmoothness, -1e-3)
    }

    func testEqualsFormAndLastOccurrenceWins() throws {
        let options = try parse("--height=96 --frame_ids=0 --eval_split=benchmark --height 128 --scales 0 1 --scales 2")
        XCTAssertEqual(options.height, 128)
        XCTAssertEqual(options.frameIDs, [0])
        XCTAssertEqual(options.evalSplit, .benchmark)
        XCTAssertEqual(options.scales, [2])
        XCTAssertEqual(try parse("--data_path=/a=b").dataPath, "/a=b")
    }

    func testUniquePrefixesLikeArgparse() throws {
        XCTAssertTrue(try parse("--eval_mo").evalMono)
        XCTAssertEqual(try parse("--heig 64").height, 64)
        XCTAssertEqual(try parse("--frame_id 0 1").frameIDs, [0, 1])
        XCTAssertThrowsError(try parse("--eval")) { error in
            guard case .ambiguousFlag(let flag, let candidates)? = error as? CommandLineError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(flag, "--eval")
            XCTAssertEqual(candidates, ["eval_stereo", "eval_mono", "eval_split", "eval_eigen_to_benchmark", "eval_out_dir"])
        }
    }

    func testChoiceErrorsListTheChoices() {
        assertError("--eval_split kitti",
                    .invalidChoice(flag: "eval_split", value: "kitti",
                                   choices: ["eigen", "eigen_benchmark", "benchmark", "odom_9", "odom_10", "synthetic"]),
                    message: "argument --eval_split: invalid choice: 'kitti' (choose from 'eigen', 'eigen_benchmark', "
                        + "'benchmark', 'odom_9', 'odom_10', 'synthetic')")
        assertError("--num_layers 19", .invalidChoice(flag: "num_layers", value: "19",
                                                      choices: ["18", "34", "50", "101", "152"]))
        assertError("--split eigen", .invalidChoice(flag: "split", value: "eigen",
                                                    choices: ["eigen_zhou", "eigen_full", "odom", "benchmark", "synthetic"]))
    }

    func testUnknownFlagsSuggestTheNearestFlag() {
        assertError("--heigth 192", .unknownFlag("--heigth", suggestion: "height"),
                    message: "unrecognized flag --heigth (did you mean --height?)")
        assertError("--eval-split eigen", .unknownFlag("--eval-split", suggestion: "eval_split"))
        assertError("--frame_idz 0", .unknownFlag("--frame_idz", suggestion: "frame_ids"))
        assertError("--use_sterio", .unknownFlag("--use_sterio", suggestion: "use_stereo"))
        assertError("--load_weights_folder_x a", .unknownFlag("--load_weights_folder_x", suggestion: "load_weights_folder"))
        assertError("--zzz", .unknownFlag("--zzz", suggestion: nil), message: "unrecognized flag --zzz")
        assertError("-height 5", .unknownFlag("-height", suggestion: "height"))
        assertError("--heigth=5", .unknownFlag("--heigth", suggestion: "height"))
    }

    func testValueErrors() {
        assertError("--height abc", .invalidValue(flag: "height", value: "abc", type: "int"),
                    message: "argument --height: invalid int value: 'abc'")
        assertError("--min_depth x1", .invalidValue(flag: "min_depth", value: "x1", type: "float"))
        assertError("--frame_ids 0 one", .invalidValue(flag: "frame_ids", value: "one", type: "int"))
        assertError("--height --width 5", .missingValue(flag: "height", expected: "one value"),
                    message: "argument --height: expected one value")
        assertError("--frame_ids --png", .missingValue(flag: "frame_ids", expected: "at least one value"))
        assertError("--height", .missingValue(flag: "height", expected: "one value"))
        assertError("--png=yes", .unexpectedValue(flag: "png", value: "yes"))
        assertError("--height 5 extra", .unexpectedArgument("extra"), message: "unexpected argument 'extra'")
        assertError("stray", .unexpectedArgument("stray"))
    }

    private func assertError(_ commandLine: String, _ expected: CommandLineError, message: String? = nil,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try parse(commandLine), file: file, line: line) { error in
            XCTAssertEqual(error as? CommandLineError, expected, file: file, line: line)
            if let message { XCTAssertEqual("\(error)", message, file: file, line: line) }
        }
    }

    /// A command line split at spaces, parsed with every flag of the table.
    private func parse(_ commandLine: String) throws -> MonodepthOptions {
        try MonodepthOptions.parse(commandLine.split(separator: " ").map(String.init), program: "train")
    }
}
