import Foundation
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

/// NumPy's float32 `np.log`. Expected from NumPy 2.4.6 on x86-64 (AVX-512 machine):
///   lo, hi = np.float32(1e-3).view(np.uint32), np.float32(100).view(np.uint32)   # 981668463, 1120403456
///   x = np.arange(lo, hi, 997, dtype=np.uint32).view(np.float32)                  # 139153 values
///   FNV-1a 64 of np.log(x).tobytes() = 0x4bbeb79c181c30fc; 13229 of them differ from the correctly
///   rounded float32(log(float64(x))), so the hash tells the two apart.
final class NumpyLogTests: XCTestCase {
    func testLogIsBitIdenticalToNumPy() {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var count = 0, differsFromCorrectlyRounded = 0
        var bits: UInt32 = 981_668_463
        while bits < 1_120_403_456 {
            let x = Float(bitPattern: bits)
            let y = NumpyLog.log(x)
            if y != Float(Foundation.log(Double(x))) { differsFromCorrectlyRounded += 1 }
            for shift in stride(from: 0, to: 32, by: 8) {
                hash = (hash ^ UInt64((y.bitPattern >> UInt32(shift)) & 0xFF)) &* 0x100_0000_01b3
            }
            count += 1
            bits += 997
        }
        XCTAssertEqual(count, 139_153)
        XCTAssertEqual(hash, 0x4bbe_b79c_181c_30fc)
        XCTAssertEqual(differsFromCorrectlyRounded, 13229)
    }

    func testLogSpecialValues() {
        XCTAssertEqual(NumpyLog.log(1), 0)
        XCTAssertEqual(NumpyLog.log(0), -.infinity)
        XCTAssertEqual(NumpyLog.log(.infinity), .infinity)
        XCTAssertTrue(NumpyLog.log(-1).isNaN)
        XCTAssertTrue(NumpyLog.log(.nan).isNaN)
        XCTAssertEqual(NumpyLog.log(Float.leastNonzeroMagnitude), Float(Foundation.log(Double(Float.leastNonzeroMagnitude))), accuracy: 1e-4)
    }
}
