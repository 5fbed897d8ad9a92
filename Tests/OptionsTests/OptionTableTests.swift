import CommandLineKit
import Foundation
import TestSupport
import XCTest
@testable import Options

/// The table against the original parser's actions (actions.json, recorded by make_options.py):
/// same flags in the same order, same help, defaults, choices and arity.
final class OptionTableTests: XCTestCase {
    struct Action: Decodable {
        var flag: String
        var dest: String
        var help: String
        var choices: [ChoiceValue]?
        var nargs: String?
        var `switch`: Bool
        var type: String?
    }

    enum ChoiceValue: Decodable, Equatable {
        case int(Int), string(String)
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Int.self) { self = .int(value) } else { self = .string(try container.decode(String.self)) }
        }
        var text: String {
            switch self { case .int(let value): return String(value); case .string(let value): return value }
        }
    }

    func actions() throws -> [Action] {
        try JSONDecoder().decode([Action].self, from: Data(contentsOf: Fixtures.bundled("options/actions.json")))
    }

    func testEveryOriginalFlagOnceInTheOriginalsOrder() throws {
        let names = OptionTable.original.map(\.name)
        XCTAssertEqual(names, try actions().map { String($0.flag.dropFirst(2)) })
        XCTAssertEqual(names.count, 44)
        XCTAssertEqual(Set(OptionTable.entries.map(\.name)).count, OptionTable.entries.count)
        XCTAssertEqual(OptionTable.extensions.map(\.name), ["seed", "resume", "disable_best_model", "disable_sync_batchnorm", "intrinsics",
                                                             "frame_stride", "val_every", "stereo_baseline", "max_bad_frames",
                                                             "check_images"])
    }

    func testHelpChoicesAndArityAreTheOriginals() throws {
        var flags = FlagSet(program: "train")
        _ = flags.include(OptionTable.entries)
        let help = flags.helpText
        let lines = help.split(separator: "\n").map(String.init)
        for action in try actions() {
            let name = String(action.flag.dropFirst(2))
            // The help text (wrapped in the listing; compared word by word).
            guard let start = lines.firstIndex(where: { $0.hasPrefix("  \(action.flag) ") || $0 == "  \(action.flag)" }) else {
                XCTFail("\(action.flag) missing from help"); continue
            }
            var entryLines = [lines[start]]
            var next = start + 1
            while next < lines.count, lines[next].hasPrefix("                          ") { entryLines.append(lines[next]); next += 1 }
            let entryText = entryLines.joined(separator: " ").split(separator: " ").joined(separator: " ")
            XCTAssertTrue(entryText.contains(action.help.split(separator: " ").joined(separator: " ")),
                          "\(action.flag) help: \(entryText)")
            // Arity: switches take nothing, nargs '+' lists "X [X ...]", the rest one value.
            let head = entryLines[0].dropFirst(2).split(separator: " ", omittingEmptySubsequences: true)
            if action.switch {
                XCTAssertFalse(entryLines[0].contains("\(action.flag) {") || entryLines[0].contains("\(action.flag) STR")
                               || entryLines[0].contains("\(action.flag) INT") || entryLines[0].contains("\(action.flag) FLOAT"),
                               "\(action.flag) should be a switch")
            } else if action.nargs == "+" {
                XCTAssertTrue(entryLines[0].contains("..."), "\(action.flag) should take a list: \(head)")
            } else {
                XCTAssertFalse(entryLines[0].contains("..."), "\(action.flag) takes one value")
            }
            // Choices: the original's, plus `synthetic` for the two split flags and `folder` for
            // --dataset (our extensions).
            if let choices = action.choices {
                var expected = choices.map(\.text)
                if name == "split" || name == "eval_split" { expected.append("synthetic") }
                if name == "dataset" { expected.append("folder") }
                XCTAssertTrue(entryLines[0].contains("{" + expected.joined(separator: ",") + "}"),
                              "\(action.flag) choices: \(entryLines[0])")
            }
        }
    }

    func testDefaultsAreTheOriginals() throws {
        // The defaults as opt.json writes them equal the original parser's with only the two
        // machine-dependent paths given (defaults.opt.json).
        var options = MonodepthOptions()
        options.dataPath = "/data/kitti_data"
        options.logDir = "/logs"
        XCTAssertEqual(OptJSON.text(for: options),
                       try String(contentsOf: Fixtures.bundled("options/defaults.opt.json"), encoding: .utf8))
    }

    func testMachineDependentDefaults() {
        let options = MonodepthOptions()
        XCTAssertTrue(options.dataPath.hasSuffix("/kitti_data"))
        XCTAssertEqual(options.logDir, DefaultPaths.expandingUser("~/tmp"))
    }

    func testUnknownFlagsKeepTheNearestFlagSuggestion() {
        XCTAssertThrowsError(try MonodepthOptions.parse(["--heigth", "96"], program: "train")) {
            XCTAssertEqual($0 as? CommandLineError, .unknownFlag("--heigth", suggestion: "height"))
        }
        XCTAssertThrowsError(try MonodepthOptions.parse(["--frame-ids", "0"], program: "train")) {
            XCTAssertEqual($0 as? CommandLineError, .unknownFlag("--frame-ids", suggestion: "frame_ids"))
        }
    }

    func testChoicesAreTypedAndUnknownChoicesNameTheFlag() throws {
        let options = try MonodepthOptions.parse(
            ["--split", "synthetic", "--eval_split", "odom_9", "--pose_model_type", "shared", "--models_to_load",
             "pose_encoder", "predictive_mask", "--dataset", "kitti_depth", "--weights_init", "scratch"], program: "train")
        XCTAssertEqual(options.split, .synthetic)
        XCTAssertEqual(options.evalSplit, .odom9)
        XCTAssertEqual(options.poseModelType, .shared)
        XCTAssertEqual(options.modelsToLoad, [.poseEncoder, .predictiveMask])
        XCTAssertEqual(options.dataset, .kittiDepth)
        XCTAssertEqual(options.weightsInit, .scratch)
        XCTAssertThrowsError(try MonodepthOptions.parse(["--models_to_load", "encoder", "decoder"], program: "train")) {
            XCTAssertEqual(String(describing: $0),
                           "argument --models_to_load: invalid choice: 'decoder' (choose from 'encoder', 'depth', "
                           + "'pose_encoder', 'pose', 'predictive_mask')")
        }
        XCTAssertThrowsError(try MonodepthOptions.parse(["--num_layers", "20"], program: "train")) {
            XCTAssertEqual($0 as? CommandLineError,
                           .invalidChoice(flag: "num_layers", value: "20", choices: ["18", "34", "50", "101", "152"]))
        }
    }

    func testExtensionsAndGivenFlags() throws {
        let options = try MonodepthOptions.parse(["--seed", "3", "--resume", "/runs/mdp", "--disable_best_model",
                                                  "--height", "96"], program: "train")
        XCTAssertEqual(options.seed, 3)
        XCTAssertEqual(options.resume, "/runs/mdp")
        XCTAssertTrue(options.disableBestModel)
        XCTAssertEqual(options.givenFlags, ["seed", "resume", "disable_best_model", "height"])
        let defaults = try MonodepthOptions.parse([], program: "train")
        XCTAssertEqual(defaults.seed, 0)
        XCTAssertNil(defaults.resume)
        XCTAssertFalse(defaults.disableBestModel)
        XCTAssertThrowsError(try MonodepthOptions.parse(["--seed", "1"], program: "evaluate", entries: OptionTable.original))
    }

    func testToolsIncludeASubsetAndTheirOwnFlags() throws {
        var flags = FlagSet(program: "bench")
        let shared = flags.include(OptionTable.entries(named: ["height", "width", "frame_ids", "use_stereo"]))
        flags.group("bench")
        let batch = flags.option("batch", default: 1, help: "samples per batch")
        let parsed = try flags.parse(["--frame_ids", "0", "-1", "1", "--use_stereo", "--batch", "12", "--width", "320"])
        let options = shared.options(from: parsed)
        XCTAssertEqual(parsed[batch], 12)
        XCTAssertEqual(options.width, 320)
        XCTAssertEqual(options.derived.frameIDs, [.offset(0), .offset(-1), .offset(1), .stereo])
        XCTAssertThrowsError(try flags.parse(["--batch_size", "3"]))
        XCTAssertTrue(flags.helpText.contains("--use_stereo"))
        XCTAssertFalse(flags.helpText.contains("--eval_mono"))
    }

    func testDefaultsGivenInCodeAreKeptUnlessAFlagOverrides() throws {
        var defaults = MonodepthOptions()
        defaults.batchSize = 4
        defaults.dataPath = "/synthetic"
        let options = try MonodepthOptions.parse(["--data_path", "/kitti"], program: "train", defaults: defaults)
        XCTAssertEqual(options.batchSize, 4)
        XCTAssertEqual(options.dataPath, "/kitti")
    }
}
