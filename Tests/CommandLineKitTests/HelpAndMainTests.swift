import CommandLineKit
import XCTest

final class HelpAndMainTests: XCTestCase {
    private func helpText(_ arguments: [String]) -> String? {
        let (flags, _) = MonodepthFlags.flagSet()
        do {
            _ = try flags.parse(arguments)
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
        XCTAssertEqual(text, MonodepthFlags.flagSet().0.helpText)
        let names = ["data_path", "model_name", "split", "num_layers", "png", "height", "width", "disparity_smoothness",
                     "scales", "min_depth", "use_stereo", "frame_ids", "learning_rate", "load_weights_folder",
                     "models_to_load", "eval_stereo", "eval_mono", "eval_split", "post_process"]
        for name in names {
            XCTAssertTrue(text.contains("--\(name)"), "help lacks --\(name)")
        }
        XCTAssertTrue(text.hasPrefix("usage: train [options]\n"))
        for heading in ["Paths:", "Training options:", "Optimization options:", "Loading options:", "Evaluation options:"] {
            XCTAssertTrue(text.contains("\n\(heading)\n"), "help lacks heading \(heading)")
        }
        XCTAssertTrue(text.contains("--eval_split {eigen,eigen_benchmark,benchmark,odom_9,odom_10}"))
        XCTAssertTrue(text.contains("--num_layers {18,34,50,101,152}"))
        XCTAssertTrue(text.contains("--frame_ids INT [INT ...]"))
        XCTAssertTrue(text.contains("frames to load (default: 0 -1 1)"))
        XCTAssertTrue(text.contains("input image height (default: 192)"))
        XCTAssertTrue(text.contains("(default: eigen)"))
        XCTAssertTrue(text.contains("-h, --help"))
        // Headings keep declaration order.
        let paths = try XCTUnwrap(text.range(of: "Paths:")), evaluation = try XCTUnwrap(text.range(of: "Evaluation options:"))
        XCTAssertLessThan(paths.lowerBound, evaluation.lowerBound)
        for line in text.split(separator: "\n") {
            XCTAssertLessThanOrEqual(line.count, 100, "help line too long: \(line)")
        }
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
        let failure = MainOutcome(error: Broken())
        XCTAssertEqual(failure.status, 1)
        XCTAssertEqual(failure.message, "error: model.pth: truncated\n")
    }
}
