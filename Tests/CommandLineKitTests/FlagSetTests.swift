import CommandLineKit
import XCTest

/// The parser on a small table of its own (the original's full table is tested in OptionsTests).
enum Split: String, CaseIterable, FlagValue {
    case eigen
    case eigenBenchmark = "eigen_benchmark"
}

struct SmallTable {
    var flags = FlagSet(program: "tool", overview: "A small table for the parser's tests.")
    let height: Flag<Int>
    let frameIDs: Flag<[Int]>
    let minDepth: Flag<Double>
    let png, evalMono, evalStereo: Flag<Bool>
    let split: Flag<Split>
    let dataPath: Flag<String?>

    init() {
        flags.group("Paths")
        dataPath = flags.optionalOption("data_path", type: String.self, help: "path to the data")
        flags.group("Training options")
        height = flags.option("height", default: 192, help: "input image height")
        frameIDs = flags.list("frame_ids", default: [0, -1, 1], help: "frames to load")
        minDepth = flags.option("min_depth", default: 0.1, help: "minimum depth")
        png = flags.flag("png", help: "read png files")
        flags.group("Evaluation options")
        evalMono = flags.flag("eval_mono", help: "mono evaluation")
        evalStereo = flags.flag("eval_stereo", help: "stereo evaluation")
        split = flags.option("eval_split", default: Split.eigen, help: "which split to run eval on")
    }

    func parse(_ commandLine: String) throws(CommandLineError) -> ParsedFlags {
        try flags.parse(commandLine.split(separator: " ").map(String.init))
    }
}

final class FlagSetTests: XCTestCase {
    let table = SmallTable()

    func testDefaultsAndValues() throws {
        let defaults = try table.parse("")
        XCTAssertEqual(defaults[table.height], 192)
        XCTAssertEqual(defaults[table.frameIDs], [0, -1, 1])
        XCTAssertNil(defaults[table.dataPath])
        XCTAssertFalse(defaults[table.png])
        let given = try table.parse("--frame_ids -1 0 1 --min_depth -.5 --png --eval_split=eigen_benchmark --height 9 --height=96")
        XCTAssertEqual(given[table.frameIDs], [-1, 0, 1])
        XCTAssertEqual(given[table.minDepth], -0.5)
        XCTAssertTrue(given[table.png])
        XCTAssertEqual(given[table.split], .eigenBenchmark)
        XCTAssertEqual(given[table.height], 96)
        XCTAssertEqual(try table.parse("--data_path=/a=b")[table.dataPath], "/a=b")
    }

    func testPrefixesAndTypos() throws {
        XCTAssertTrue(try table.parse("--eval_m")[table.evalMono])
        XCTAssertThrowsError(try table.parse("--eval")) { error in
            XCTAssertEqual(error as? CommandLineError, .ambiguousFlag("--eval", candidates: ["eval_mono", "eval_stereo", "eval_split"]))
        }
        for (commandLine, flag, suggestion) in [("--heigth 1", "--heigth", "height"), ("--frame-ids 0", "--frame-ids", "frame_ids"),
                                                ("-height 5", "-height", "height"), ("--heigth=5", "--heigth", "height")] {
            XCTAssertThrowsError(try table.parse(commandLine)) { error in
                XCTAssertEqual(error as? CommandLineError, .unknownFlag(flag, suggestion: suggestion))
            }
        }
        XCTAssertThrowsError(try table.parse("--zzz")) { error in
            XCTAssertEqual("\(error)", "unrecognized flag --zzz")
        }
        XCTAssertThrowsError(try table.parse("--eval_split kitti")) { error in
            XCTAssertEqual("\(error)", "argument --eval_split: invalid choice: 'kitti' (choose from 'eigen', 'eigen_benchmark')")
        }
        XCTAssertThrowsError(try table.parse("--height abc")) { error in
            XCTAssertEqual("\(error)", "argument --height: invalid int value: 'abc'")
        }
        XCTAssertThrowsError(try table.parse("--png=yes"))
        XCTAssertThrowsError(try table.parse("--frame_ids --png"))
        XCTAssertThrowsError(try table.parse("--height 5 extra"))
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
        var probe = FlagSet(program: "x")
        let height = probe.option("height", default: 1, help: "")
        XCTAssertFalse(try probe.parse([String]()).wasGiven(height))
        XCTAssertTrue(try probe.parse(["--height", "1"]).wasGiven(height))
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
}
