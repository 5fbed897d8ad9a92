import ArrayIO
import Foundation
import ImageIO
import KITTIData
import TestSupport
import XCTest
@testable import Evaluation

/// The `reference/eval` fixtures (made by `reference/make_eval.py` with the original
/// evaluate_depth.py) and helpers shared by the evaluation tests.
enum EvalFixtures {
    /// The folder holding the mono/stereo case (predictions, ground truth, the original's output).
    static func folder() throws -> URL {
        try Fixtures.reference("eval", containing: ["pred_disps.npy", "gt_depths.npz", "expected.json"])
    }

    /// A file of reference/eval (skips the test when absent).
    static func url(_ name: String) throws -> URL { try Fixtures.reference("eval/" + name) }

    /// A disparity file the original saved as float32. Another element type is a reader regression:
    /// the test fails (it is not skipped).
    static func float32Stack(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> MapStack<Float> {
        let disparities = try ArrayFiles.readDisparities(url(name))
        guard case .float32(let stack) = disparities else {
            XCTFail("\(name) was saved as float32 but read as \(disparities.elementTypeName)", file: file, line: line)
            throw WrongElementType(file: name)
        }
        return stack
    }

    struct WrongElementType: Error, CustomStringConvertible {
        let file: String
        var description: String { "\(file) was not read as float32" }
    }

    static func groundTruth() throws -> [FloatMap] {
        try ArrayFiles.readGroundTruth(url("gt_depths.npz"))
    }

    /// expected.json: `case` -> metrics by name, ratio_med, ratio_std, printed.
    static func expected(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: try url("expected.json"))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return try XCTUnwrap(json?[name] as? [String: Any], "expected.json has no \(name)")
    }

    static func expectedMetrics(_ name: String) throws -> [Double] {
        try DepthMetrics.names.map { try expectedNumber(name, $0) }
    }

    /// A number of expected.json read from its text with Swift's correctly rounded `Double(String)`
    /// (Foundation's JSON parser on Linux can be off by an ULP), so exact comparisons are possible.
    static func expectedNumber(_ caseName: String, _ key: String) throws -> Double {
        let text = try String(contentsOf: try url("expected.json"), encoding: .utf8)
        let block = try XCTUnwrap(text.range(of: "\"\(caseName)\": {"), "expected.json has no \(caseName)")
        let keyRange = try XCTUnwrap(text.range(of: "\"\(key)\": ", range: block.upperBound..<text.endIndex),
                                     "\(caseName) has no \(key)")
        let number = text[keyRange.upperBound...].prefix { "0123456789.eE+-".contains($0) }
        return try XCTUnwrap(Double(String(number)), "\(caseName).\(key) is not a number")
    }

    /// A fresh temporary folder, removed at the end of the test.
    static func temporaryFolder(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("md2-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}

/// Asserts that every metric is within `relative` of the reference (relative to its magnitude).
func assertMetrics(_ actual: DepthMetrics, _ expected: [Double], relative: Double = 1e-6,
                   _ label: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(expected.count, 7, file: file, line: line)
    for (index, (value, reference)) in zip(actual.values, expected).enumerated() {
        XCTAssertLessThanOrEqual(abs(value - reference), relative * abs(reference),
                                 "\(label) \(DepthMetrics.names[index]): \(value) vs \(reference)", file: file, line: line)
    }
}

extension Disparities {
    /// The element type, for messages.
    var elementTypeName: String {
        switch self {
        case .float32: return "float32"
        case .float64: return "float64"
        }
    }
}
