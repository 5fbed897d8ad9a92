import CommandLineKit
import XCTest

final class FlagSetTests: XCTestCase {
    func testDefaultsWhenNothingIsGiven() throws {
        let options = try MonodepthFlags.parse("")
        XCTAssertEqual(options.dataPath, "kitti_data")
        XCTAssertEqual(options.height, 192)
        XCTAssertEqual(options.width, 640)
        XCTAssertEqual(options.scales, [0, 1, 2, 3])
        XCTAssertEqual(options.frameIDs, [0, -1, 1])
        XCTAssertEqual(options.disparitySmoothness, 1e-3)
        XCTAssertEqual(options.learningRate, 1e-4)
        XCTAssertNil(options.loadWeightsFolder)
        XCTAssertEqual(options.modelsToLoad, ["encoder", "depth", "pose_encoder", "pose"])
        XCTAssertEqual(options.evalSplit, .eigen)
        XCTAssertFalse(options.png || options.useStereo || options.evalMono || options.evalStereo || options.postProcess)
    }

    func testReadmeTrainingCommandLines() throws {
        // From monodepth2's README (training section).
        let mono = try MonodepthFlags.parse("--model_name mono_model")
        XCTAssertEqual(mono.modelName, "mono_model")
        let stereo = try MonodepthFlags.parse("--model_name stereo_model --frame_ids 0 --use_stereo --split eigen_full")
        XCTAssertEqual(stereo.frameIDs, [0])
        XCTAssertTrue(stereo.useStereo)
        XCTAssertEqual(stereo.split, "eigen_full")
        let both = try MonodepthFlags.parse("--model_name mono+stereo_model --frame_ids 0 -1 1 --use_stereo")
        XCTAssertEqual(both.frameIDs, [0, -1, 1])
        let finetune = try MonodepthFlags.parse(
            "--model_name finetuned_mono --load_weights_folder ~/tmp/mono_model/models/weights_19 --learning_rate 1e-5 --png")
        XCTAssertEqual(finetune.loadWeightsFolder, "~/tmp/mono_model/models/weights_19")
        XCTAssertEqual(finetune.learningRate, 1e-5)
        XCTAssertTrue(finetune.png)
        let big = try MonodepthFlags.parse("--height 320 --width 1024 --num_layers 50 --scales 0 1 --data_path /data/kitti")
        XCTAssertEqual([big.height, big.width, big.numLayers], [320, 1024, 50])
        XCTAssertEqual(big.scales, [0, 1])
        XCTAssertEqual(big.dataPath, "/data/kitti")
    }

    func testReadmeEvaluationCommandLine() throws {
        let options = try MonodepthFlags.parse(
            "--load_weights_folder ~/tmp/mono_model/models/weights_19/ --eval_mono --eval_split eigen_benchmark "
            + "--models_to_load encoder depth --post_process")
        XCTAssertTrue(options.evalMono)
        XCTAssertFalse(options.evalStereo)
        XCTAssertEqual(options.evalSplit, .eigenBenchmark)
        XCTAssertEqual(options.modelsToLoad, ["encoder", "depth"])
        XCTAssertTrue(options.postProcess)
    }

    func testNegativeNumbersAreValuesNotFlags() throws {
        let options = try MonodepthFlags.parse("--frame_ids -1 0 1 --min_depth -0.5 --height 96")
        XCTAssertEqual(options.frameIDs, [-1, 0, 1])
        XCTAssertEqual(options.minDepth, -0.5)
        XCTAssertEqual(options.height, 96)
        // A list stops at the next flag.
        let stop = try MonodepthFlags.parse("--frame_ids 0 -1 1 --png --scales 0")
        XCTAssertEqual(stop.frameIDs, [0, -1, 1])
        XCTAssertTrue(stop.png)
        XCTAssertEqual(stop.scales, [0])
        XCTAssertEqual(try MonodepthFlags.parse("--min_depth -.5").minDepth, -0.5)
        XCTAssertEqual(try MonodepthFlags.parse("--disparity_smoothness -1e-3").disparitySmoothness, -1e-3)
    }

    func testEqualsFormAndLastOccurrenceWins() throws {
        let options = try MonodepthFlags.parse("--height=96 --frame_ids=0 --eval_split=benchmark --height 128 --scales 0 1 --scales 2")
        XCTAssertEqual(options.height, 128)
        XCTAssertEqual(options.frameIDs, [0])
        XCTAssertEqual(options.evalSplit, .benchmark)
        XCTAssertEqual(options.scales, [2])
        XCTAssertEqual(try MonodepthFlags.parse("--data_path=/a=b").dataPath, "/a=b")
    }

    func testUniquePrefixesLikeArgparse() throws {
        XCTAssertTrue(try MonodepthFlags.parse("--eval_mo").evalMono)
        XCTAssertEqual(try MonodepthFlags.parse("--heig 64").height, 64)
        XCTAssertEqual(try MonodepthFlags.parse("--frame_id 0 1").frameIDs, [0, 1])
        XCTAssertThrowsError(try MonodepthFlags.parse("--eval")) { error in
            guard case .ambiguousFlag(let flag, let candidates)? = error as? CommandLineError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(flag, "--eval")
            XCTAssertEqual(candidates, ["eval_stereo", "eval_mono", "eval_split"])
        }
    }

    func testChoiceErrorsListTheChoices() {
        assertError("--eval_split kitti",
                    .invalidChoice(flag: "eval_split", value: "kitti",
                                   choices: ["eigen", "eigen_benchmark", "benchmark", "odom_9", "odom_10"]),
                    message: "argument --eval_split: invalid choice: 'kitti' (choose from 'eigen', 'eigen_benchmark', "
                        + "'benchmark', 'odom_9', 'odom_10')")
        assertError("--num_layers 19", .invalidChoice(flag: "num_layers", value: "19",
                                                      choices: ["18", "34", "50", "101", "152"]))
        assertError("--split eigen", .invalidChoice(flag: "split", value: "eigen",
                                                    choices: ["eigen_zhou", "eigen_full", "odom", "benchmark"]))
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

    func testRequiredOptions() throws {
        var flags = FlagSet(program: "export-gt")
        let dataPath = flags.requiredOption("data_path", type: String.self, help: "path to the root of the KITTI data")
        let split = flags.requiredOption("split", type: String.self, choices: ["eigen", "eigen_benchmark"],
                                         help: "which split to export gt from")
        XCTAssertThrowsError(try flags.parse([String]())) { error in
            XCTAssertEqual(error as? CommandLineError, .missingRequired(["data_path", "split"]))
            XCTAssertEqual("\(error)", "the following arguments are required: --data_path, --split")
        }
        XCTAssertThrowsError(try flags.parse(["--split", "eigen"])) { error in
            XCTAssertEqual(error as? CommandLineError, .missingRequired(["data_path"]))
        }
        let parsed = try flags.parse(["--data_path", "/kitti", "--split", "eigen_benchmark"])
        XCTAssertEqual(parsed[dataPath], "/kitti")
        XCTAssertEqual(parsed[split], "eigen_benchmark")
        XCTAssertTrue(parsed.wasGiven(split))
    }

    func testWasGiven() throws {
        let (flags, _) = MonodepthFlags.flagSet()
        var probe = FlagSet(program: "x")
        let height = probe.option("height", default: 1, help: "")
        XCTAssertFalse(try probe.parse([String]()).wasGiven(height))
        XCTAssertTrue(try probe.parse(["--height", "1"]).wasGiven(height))
        XCTAssertNoThrow(try flags.parse(["--png"]))
    }

    func testErrorMessagesAreOneLine() {
        let errors: [CommandLineError] = [
            .unknownFlag("--a", suggestion: "b"), .ambiguousFlag("--e", candidates: ["ea", "eb"]),
            .missingValue(flag: "a", expected: "one value"), .invalidValue(flag: "a", value: "b", type: "int"),
            .invalidChoice(flag: "a", value: "b", choices: ["c"]), .unexpectedValue(flag: "a", value: "b"),
            .missingRequired(["a"]), .unexpectedArgument("a"), .usage("exactly one of --a and --b"),
        ]
        for error in errors {
            XCTAssertFalse(error.description.contains("\n"), error.description)
            XCTAssertFalse(error.description.isEmpty)
        }
    }

    private func assertError(_ commandLine: String, _ expected: CommandLineError, message: String? = nil,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try MonodepthFlags.parse(commandLine), file: file, line: line) { error in
            XCTAssertEqual(error as? CommandLineError, expected, file: file, line: line)
            if let message { XCTAssertEqual("\(error)", message, file: file, line: line) }
        }
    }
}
