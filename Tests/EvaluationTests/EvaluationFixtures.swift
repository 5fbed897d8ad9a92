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
    static let folder = Fixtures.reference("eval")

    static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    static func float32Stack(_ name: String) throws -> MapStack<Float> {
        guard case .float32(let stack) = try ArrayFiles.readDisparities(url(name)) else {
            throw XCTSkip("\(name) is not float32")
        }
        return stack
    }

    static func groundTruth() throws -> [FloatMap] {
        try ArrayFiles.readGroundTruth(url("gt_depths.npz"))
    }

    /// expected.json: `case` -> metrics by name, ratio_med, ratio_std, printed.
    static func expected(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: url("expected.json"))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return try XCTUnwrap(json?[name] as? [String: Any], "expected.json has no \(name)")
    }

    static func expectedMetrics(_ name: String) throws -> [Double] {
        try DepthMetrics.names.map { try expectedNumber(name, $0) }
    }

    /// A number of expected.json read from its text with Swift's correctly rounded `Double(String)`
    /// (Foundation's JSON parser on Linux can be off by an ULP), so exact comparisons are possible.
    static func expectedNumber(_ caseName: String, _ key: String) throws -> Double {
        let text = try String(contentsOf: url("expected.json"), encoding: .utf8)
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
