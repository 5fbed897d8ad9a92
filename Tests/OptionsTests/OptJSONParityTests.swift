import Foundation
import TestSupport
import XCTest
@testable import Options

/// opt.json against the original: Tests/Fixtures/options/make_options.py parsed each command line of
/// cases.json with the original options.py, applied trainer.py's changes and wrote save_opts' file.
/// Ours must be the same bytes.
final class OptJSONParityTests: XCTestCase {
    func cases() throws -> [String: [String]] {
        let data = try Data(contentsOf: Fixtures.bundled("options/cases.json"))
        return try JSONDecoder().decode([String: [String]].self, from: data)
    }

    func testOptJSONIsByteForByteTheOriginals() throws {
        let cases = try cases()
        XCTAssertGreaterThanOrEqual(cases.count, 5)
        for (name, arguments) in cases.sorted(by: { $0.key < $1.key }) {
            let expected = try Data(contentsOf: Fixtures.bundled("options/\(name).opt.json"))
            let options = try MonodepthOptions.parse(arguments, program: "train")
            let ours = Data(OptJSON.text(for: options).utf8)
            XCTAssertEqual(ours, expected, "\(name): \(arguments.joined(separator: " "))\n"
                + OptJSON.text(for: options))
        }
    }

    func testOptJSONHoldsTheOriginals44KeysOnly() throws {
        var options = MonodepthOptions()
        options.seed = 7
        options.resume = "/runs/mdp"
        options.disableBestModel = true
        guard case .object(let members) = OptJSON.object(for: options) else { return XCTFail("not an object") }
        XCTAssertEqual(members.count, 44)
        XCTAssertFalse(members.contains { ["seed", "resume", "disable_best_model", "disable_sync_batchnorm", "given_flags"].contains($0.key) })
    }

    func testWriteIsAtomicAndLandsInTheModelsFolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("optjson-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var options = MonodepthOptions()
        options.logDir = root.path
        options.modelName = "run"
        let file = try OptJSON.write(options)
        XCTAssertEqual(file.path, root.appendingPathComponent("run/models/opt.json").path)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), OptJSON.text(for: options))
        // Overwriting leaves no temporary file behind.
        options.batchSize = 4
        try OptJSON.write(options)
        let listing = try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
        XCTAssertEqual(listing, ["opt.json"])
        XCTAssertTrue(try String(contentsOf: file, encoding: .utf8).contains("\"batch_size\": 4,"))
    }

    func testWriteNamesTheFileWhenItCannotWrite() throws {
        let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("optjson-file-\(UUID().uuidString)")
        try Data("x".utf8).write(to: blocker)
        defer { try? FileManager.default.removeItem(at: blocker) }
        XCTAssertThrowsError(try OptJSON.write(MonodepthOptions(), to: blocker.appendingPathComponent("models/opt.json"))) {
            XCTAssertTrue(String(describing: $0).contains(blocker.path), "\($0)")
        }
    }

    func testPredDepthScaleFactorKeepsTheOriginalsIntDefault() throws {
        let given = try MonodepthOptions.parse(["--pred_depth_scale_factor", "1"], program: "train")
        let absent = try MonodepthOptions.parse([], program: "train")
        XCTAssertTrue(OptJSON.text(for: given).contains("\"pred_depth_scale_factor\": 1.0,"))
        XCTAssertTrue(OptJSON.text(for: absent).contains("\"pred_depth_scale_factor\": 1,"))
    }

    func testLoadWeightsFolderIsExpandedAsLoadModelDoes() {
        var options = MonodepthOptions()
        options.loadWeightsFolder = "~/models/w"
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        let expected = PythonJSON.quoted(home.hasSuffix("/") ? String(home.dropLast()) + "/models/w" : home + "/models/w")
        XCTAssertTrue(OptJSON.text(for: options).contains("\"load_weights_folder\": \(expected),"))
    }
}

final class PythonJSONTests: XCTestCase {
    func testFloatsAsPythonsRepr() {
        // repr() of these floats in CPython 3.
        let expected: [(Double, String)] = [
            (1e-3, "0.001"), (1e-4, "0.0001"), (1e-5, "1e-05"), (100.0, "100.0"), (0.1, "0.1"), (5.4, "5.4"),
            (1e16, "1e+16"), (1e15, "1000000000000000.0"), (-0.0, "-0.0"), (2.5e-7, "2.5e-07"),
            (.infinity, "Infinity"), (-.infinity, "-Infinity"), (.nan, "NaN"),
        ]
        for (value, text) in expected { XCTAssertEqual(PythonJSON.float(value).dumps(), text) }
    }

    func testStringsAsEnsureAscii() {
        XCTAssertEqual(PythonJSON.string("a\"b\\c\n\t\u{1}é😀/").dumps(), "\"a\\\"b\\\\c\\n\\t\\u0001\\u00e9\\ud83d\\ude00/\"")
    }

    func testIndentedContainers() {
        let value = PythonJSON.object([(key: "a", value: .array([.int(1), .null])), (key: "b", value: .array([])),
                                       (key: "c", value: .object([]))])
        XCTAssertEqual(value.dumps(), "{\n  \"a\": [\n    1,\n    null\n  ],\n  \"b\": [],\n  \"c\": {}\n}")
    }
}
