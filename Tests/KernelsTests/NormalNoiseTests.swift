import Foundation
import XCTest
@testable import Kernels

/// The counter-based N(0,1) generator: each value equals Box–Muller computed in Double from the
/// same SplitMix64 bits, the values do not depend on the thread count or the call's size, and a
/// million draws have the moments, quantiles and independence of N(0,1).
final class NormalNoiseTests: XCTestCase {
    func draw(_ count: Int, key: UInt64, mean: Float = 0, std: Float = 1) -> [Float] {
        var out = [Float](repeating: .nan, count: count)
        out.withUnsafeMutableBufferPointer { fillNormal($0.baseAddress!, count: count, key: key, mean: mean, standardDeviation: std) }
        return out
    }

    /// Element i from the documented layout, in Double.
    func reference(key: UInt64, index i: Int) -> Double {
        let block = i / 32, lane = i % 32
        let pair = UInt64(block * 16 + lane % 16)
        let (u1, u2) = normalNoiseUniforms(key: key, pair: pair)
        let r = (-2 * Foundation.log(Double(u1))).squareRoot(), theta = 2 * Double.pi * Double(u2)
        return lane < 16 ? r * Foundation.cos(theta) : r * Foundation.sin(theta)
    }

    func testValuesMatchDoubleBoxMuller() {
        let key: UInt64 = 0x1234_5678_9ABC_DEF0
        let values = draw(100_003, key: key)
        var worst = 0.0
        for i in 0..<values.count {
            let expected = reference(key: key, index: i)
            worst = max(worst, abs(Double(values[i]) - expected) / max(1, abs(expected)))
        }
        XCTAssertLessThan(worst, 2e-6, "worst error against Double Box–Muller")
    }

    func testSplitMixStreamMatchesSerialSplitMix() {
        // SplitMix64.output(seed: key, index: p) is the p-th output of the ordinary SplitMix64 stream.
        // (SplitMix64Tests checks the stream itself against the reference outputs.)
        var stream = SplitMix64(seed: 42)
        for p in 0..<5 {
            XCTAssertEqual(SplitMix64.output(seed: 42, index: UInt64(p)), stream.next())
        }
    }

    func testDeterministicAcrossThreadCountsAndSizes() {
        let n = 300_001
        let before = Parallel.threadCount
        defer { Parallel.setThreadCount(before) }
        Parallel.setThreadCount(1)
        let serial = draw(n, key: 7)
        Parallel.setThreadCount(Parallel.maximumThreadCount)
        let parallel = draw(n, key: 7)
        XCTAssertEqual(serial, parallel)
        XCTAssertEqual(Array(draw(45, key: 7)), Array(serial.prefix(45)), "a value depends only on key and index")
        XCTAssertNotEqual(draw(64, key: 8), Array(serial.prefix(64)))
        let scaled = draw(1000, key: 7, mean: 3, std: 1e-5)
        for i in 0..<1000 { XCTAssertEqual(scaled[i], serial[i] * 1e-5 + 3, accuracy: 1e-6) }
    }

    func testStatistics() {
        let n = 1 << 20
        let v = draw(n, key: 2019).map(Double.init)
        let mean = v.reduce(0, +) / Double(n)
        let variance = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
        let skew = v.reduce(0) { $0 + pow($1 - mean, 3) } / Double(n)
        let kurtosis = v.reduce(0) { $0 + pow($1 - mean, 4) } / Double(n)
        // 5 standard errors: mean 1/√n, variance √(2/n), third moment √(15/n), fourth √(96/n).
        XCTAssertLessThan(abs(mean), 5 / Double(n).squareRoot())
        XCTAssertLessThan(abs(variance - 1), 5 * (2 / Double(n)).squareRoot())
        XCTAssertLessThan(abs(skew), 5 * (15 / Double(n)).squareRoot())
        XCTAssertLessThan(abs(kurtosis - 3), 5 * (96 / Double(n)).squareRoot())
        // Kolmogorov–Smirnov distance to Φ: 1.63/√n is the 1% critical value.
        let sorted = v.sorted()
        var ks = 0.0
        for (i, x) in sorted.enumerated() {
            let cdf = 0.5 * erfc(-x / 2.0.squareRoot())
            ks = max(ks, abs(cdf - Double(i) / Double(n)), abs(cdf - Double(i + 1) / Double(n)))
        }
        XCTAssertLessThan(ks, 1.63 / Double(n).squareRoot(), "KS distance")
        // Tails: P(|z| > 3) = 0.0026998, P(|z| > 4) = 6.3e-5.
        let beyond3 = Double(v.filter { abs($0) > 3 }.count) / Double(n)
        XCTAssertEqual(beyond3, 0.0026998, accuracy: 5 * (0.0027 / Double(n)).squareRoot())
        XCTAssertGreaterThan(v.filter { abs($0) > 4 }.count, 20)
        // Independence: neighbours, the cosine/sine halves of one pair, squares 32 apart.
        let bound = 5 / Double(n / 2).squareRoot()
        var neighbours = 0.0, halves = 0.0, squares = 0.0, radius2 = 0.0
        for i in 0..<(n - 32) {
            neighbours += v[i] * v[i + 1]
            squares += (v[i] * v[i] - 1) * (v[i + 32] * v[i + 32] - 1)
        }
        for b in 0..<(n / 32) {
            for l in 0..<16 {
                let c = v[32 * b + l], s = v[32 * b + 16 + l]
                halves += c * s
                radius2 += c * c + s * s
            }
        }
        XCTAssertLessThan(abs(neighbours / Double(n - 32)), bound)
        XCTAssertLessThan(abs(halves / Double(n / 2)), bound)
        XCTAssertLessThan(abs(squares / Double(n - 32)), 2 * bound * 2.0.squareRoot())
        // Radius² of a Box–Muller pair is −2 ln u1 ~ exponential with mean 2 (standard deviation 2).
        XCTAssertEqual(radius2 / Double(n / 2), 2, accuracy: 5 * 2 / Double(n / 2).squareRoot())
    }
}
