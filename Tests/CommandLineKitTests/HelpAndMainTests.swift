import CommandLineKit
import XCTest

final class HelpAndMainTests: XCTestCase {
    private func helpText(_ arguments: [String]) -> String? {
        let table = SmallTable()
        do {
            _ = try table.flags.parse(arguments)
        } catch .helpRequested(let text) {
            return text
        } catch {
            XCTFail("unexpected \(error)")
        }
        return nil
    }

    func testHelpListsEveryFlagWithDefaultsChoicesAndGroups() throws {
        let text = try XCTUnwrap(helpText(["-h"]))
        XCTAssertEqual(helpText(["--height", "abc", "--help"]), text, "help wins over other errors")
        XCTAssertEqual(text, SmallTable().flags.helpText)
        for name in ["data_path", "height", "frame_ids", "min_depth", "png", "eval_mono", "eval_stereo", "eval_split"] {
            XCTAssertTrue(text.contains("--\(name)"), "help lacks --\(name)")
        }
        XCTAssertTrue(text.hasPrefix("usage: tool [options]\n"))
        for heading in ["Paths:", "Training options:", "Evaluation options:"] {
            XCTAssertTrue(text.contains("\n\(heading)\n"), "help lacks heading \(heading)")
        }
        XCTAssertTrue(text.contains("--eval_split {eigen,eigen_benchmark}"))
        XCTAssertTrue(text.contains("--frame_ids INT [INT ...]"))
        XCTAssertTrue(text.contains("frames to load (default: 0 -1 1)"))
        XCTAssertTrue(text.contains("input image height (default: 192)"))
        XCTAssertTrue(text.contains("(default: eigen)"))
        XCTAssertTrue(text.contains("-h, --help"))
        let paths = try XCTUnwrap(text.range(of: "Paths:")), evaluation = try XCTUnwrap(text.range(of: "Evaluation options:"))
        XCTAssertLessThan(paths.lowerBound, evaluation.lowerBound)
        for line in text.split(separator: "\n") {
            XCTAssertLessThanOrEqual(line.count, 100, "help line too long: \(line)")
        }
    }

    func testLongChoiceListsMoveIntoTheHelp() {
        enum Model: String, CaseIterable, FlagValue {
            case encoder, depth, poseEncoder = "pose_encoder", pose, predictiveMask = "predictive_mask"
        }
        var flags = FlagSet(program: "train")
        _ = flags.list("models_to_load", default: [Model.encoder], help: "models to load")
        _ = flags.option("model", default: Model.depth, help: "one model")
        XCTAssertTrue(flags.helpText.contains("  --models_to_load STR [STR ...]\n"))
        let words = flags.helpText.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        XCTAssertTrue(words.contains(
            "models to load (choices: encoder, depth, pose_encoder, pose, predictive_mask) (default: encoder)"))
        XCTAssertTrue(flags.helpText.contains("--model {encoder,depth,pose_encoder,pose,predictive_mask}"))
    }

    func testHelpMarksRequiredFlags() {
        var flags = FlagSet(program: "export-gt", overview: "Exports KITTI ground truth depth.")
        _ = flags.requiredOption("data_path", type: String.self, help: "path to the root of the KITTI data")
        XCTAssertTrue(flags.helpText.contains("--data_path STR"))
        XCTAssertTrue(flags.helpText.contains("path to the root of the KITTI data (required)"))
        XCTAssertTrue(flags.helpText.contains("Exports KITTI ground truth depth."))
    }

    func testMainOutcomeExitCodesAndMessages() {
        struct Broken: Error, CustomStringConvertible { var description: String { "model.pth: truncated" } }
        let help = MainOutcome(error: CommandLineError.helpRequested("usage: x\n"))
        XCTAssertEqual(help.status, 0)
        XCTAssertEqual(help.message, "usage: x\n")
        let usage = MainOutcome(error: CommandLineError.unknownFlag("--heigth", suggestion: "height"))
        XCTAssertEqual(usage.status, 2)
        XCTAssertEqual(usage.message, "error: unrecognized flag --heigth (did you mean --height?)\n")
        XCTAssertEqual(MainOutcome(error: CommandLineError.usage("exactly one of --eval_mono and --eval_stereo")).status, 2)
        struct Rule: CommandLineUsageError { var description: String { "argument --height: 100 is not a multiple of 32" } }
        XCTAssertEqual(MainOutcome(error: Rule()), MainOutcome(error: CommandLineError.usage(Rule().description)))
        let failure = MainOutcome(error: Broken())
        XCTAssertEqual(failure.status, 1)
        XCTAssertEqual(failure.message, "error: model.pth: truncated\n")
    }
}
