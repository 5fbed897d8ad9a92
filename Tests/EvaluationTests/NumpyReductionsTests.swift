import XCTest
@testable import Evaluation

/// NumPy's reductions. Expected values printed by NumPy 2.4.6:
///   i = np.arange(1000); x = (np.float32(1000) + (i % 97).astype(np.float32) * np.float32(0.013)).astype(np.float32)
///   np.sum(x) -> 1.0006109e+06 (a naive float32 loop gives 1.0006107e+06), x.mean() -> 1000.6109
///   y = ((i * 7919) % 1009).astype(np.float32) * np.float32(0.37)
///   np.median(y) -> 187.035, np.median(y[:999]) -> 186.85, np.std(y) -> 107.80286
///   y64 = y.astype(np.float64) / 3: np.median -> 62.345001220703125, np.std -> 35.934285895603786,
///   np.mean -> 62.243620786627126
final class NumpyReductionsTests: XCTestCase {
    let x: [Float] = (0..<1000).map { Float(1000) + Float($0 % 97) * Float(0.013) }
    let y: [Float] = (0..<1000).map { Float(($0 * 7919) % 1009) * Float(0.37) }

    func testPairwiseSumAndMeanMatchNumPy() {
        XCTAssertEqual(NumpyReductions.pairwiseSum(x), 1.0006109e+06)
        XCTAssertEqual(x.reduce(0, +), 1.0006107e+06)   // the naive order differs: the test can tell
        XCTAssertEqual(NumpyReductions.mean(x), 1000.6109)
        XCTAssertEqual(NumpyReductions.pairwiseSum([Float]()), 0)
        XCTAssertTrue(NumpyReductions.mean([Float]()).isNaN)
    }

    func testMedianAndStandardDeviationMatchNumPy() {
        var even = y, odd = Array(y.prefix(999))
        XCTAssertEqual(NumpyReductions.median(&even), 187.035)
        XCTAssertEqual(NumpyReductions.median(&odd), 186.85)
        XCTAssertEqual(NumpyReductions.standardDeviation(y), 107.80286)
        let y64 = y.map { Double($0) / 3 }
        var copy = y64
        XCTAssertEqual(NumpyReductions.median(&copy), 62.345001220703125)
        XCTAssertEqual(NumpyReductions.standardDeviation(y64), 35.934285895603786)
        XCTAssertEqual(NumpyReductions.mean(y64), 62.243620786627126)
        var withNaN: [Float] = [1, .nan, 3]
        XCTAssertTrue(NumpyReductions.median(&withNaN).isNaN)
    }

    func testSelectionHandlesDuplicatesAndOrder() {
        for count in [1, 2, 3, 8, 9, 100, 101] {
            for pattern in 0..<3 {
                let values: [Double] = (0..<count).map { index in
                    switch pattern {
                    case 0: return Double(index)
                    case 1: return Double(count - index)
                    default: return Double(index % 3)
                    }
                }
                let sorted = values.sorted()
                let expected = count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2
                var scratch = values
                XCTAssertEqual(NumpyReductions.median(&scratch), expected, "count \(count) pattern \(pattern)")
            }
        }
    }
}
