import Foundation
import TensorCore
import XCTest

/// Result of comparing an array with a reference: the worst element and the measure used.
public struct Comparison: CustomStringConvertible, Sendable {
    public var worstIndex: Int
    public var actual: Float
    public var expected: Float
    public var maxAbsoluteError: Float
    public var maxMagnitude: Float

    /// max|actual - expected| / max|expected| (the fixtures' "rel-to-max").
    public var relativeToMax: Float { maxMagnitude > 0 ? maxAbsoluteError / maxMagnitude : maxAbsoluteError }

    public var description: String {
        "worst index \(worstIndex): got \(actual), expected \(expected); max abs error \(maxAbsoluteError), rel-to-max \(relativeToMax)"
    }
}

/// Compares two arrays element by element; the counts must match (checked by the caller's assertion).
public func compare(_ actual: [Float], _ expected: [Float]) -> Comparison {
    precondition(actual.count == expected.count, "compare: \(actual.count) values vs \(expected.count) expected")
    var worst = 0
    var worstError: Float = 0
    var magnitude: Float = 0
    for index in 0..<expected.count {
        magnitude = max(magnitude, abs(expected[index]))
        let error = abs(actual[index] - expected[index])
        if error > worstError || error.isNaN {
            worstError = error.isNaN ? .infinity : error
            worst = index
        }
    }
    return Comparison(worstIndex: worst, actual: actual.isEmpty ? 0 : actual[worst],
                      expected: expected.isEmpty ? 0 : expected[worst],
                      maxAbsoluteError: worstError, maxMagnitude: magnitude)
}

/// Asserts equal shapes, then max|actual − expected| ≤ tolerance · max|expected| over every element.
public func assertRelativeToMax(_ actual: Tensor, _ expected: Tensor, _ tolerance: Float, _ label: String,
                         file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, expected.shape, "\(label): shape", file: file, line: line)
    guard actual.shape == expected.shape else { return }
    let c = compare(actual.scalars(), expected.scalars())
    reportComparison(label, c)
    XCTAssertLessThanOrEqual(c.relativeToMax, tolerance, "\(label): \(c)", file: file, line: line)
}

/// Asserts equal shapes, then max|actual − expected| ≤ tolerance over every element.
public func assertMaxAbsolute(_ actual: Tensor, _ expected: Tensor, _ tolerance: Float, _ label: String,
                       file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, expected.shape, "\(label): shape", file: file, line: line)
    guard actual.shape == expected.shape else { return }
    let c = compare(actual.scalars(), expected.scalars())
    reportComparison(label, c)
    XCTAssertLessThanOrEqual(c.maxAbsoluteError, tolerance, "\(label): \(c)", file: file, line: line)
}

/// With MD2_PRINT_ERRORS=1 in the environment, prints every comparison (to record the margins).
public func reportComparison(_ label: String, _ c: Comparison) {
    if ProcessInfo.processInfo.environment["MD2_PRINT_ERRORS"] == "1" { print("[error] \(label): \(c)") }
}
