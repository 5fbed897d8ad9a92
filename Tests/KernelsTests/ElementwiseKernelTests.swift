import Foundation
import Kernels
import XCTest

/// Accuracy of the SIMD polynomial exp against libm, and the exp-based activations' edge cases.
final class ElementwiseKernelTests: XCTestCase {
    func testFastExpIsWithinTwoUlpOfLibm() {
        var worstUlps: Float = 0
        var x: Float = -103
        while x < 88.71 {
            var v = SIMD16<Float>()
            for i in 0..<16 { v[i] = x + Float(i) * 0.0007 }
            let r = fastExp(v)
            for i in 0..<16 {
                let exact = Float(Foundation.exp(Double(v[i])))
                worstUlps = max(worstUlps, abs(r[i] - exact) / max(exact.ulp, Float.leastNonzeroMagnitude))
            }
            x += 0.0113
        }
        XCTAssertLessThanOrEqual(worstUlps, 2, "fastExp worst error \(worstUlps) ulp")
    }

    func testFastExpLimits() {
        let v = SIMD16<Float>(0, -0.0, 1, -1, 88.7, 88.8, -87.3, -88, -200, 200, .infinity, -.infinity, .nan, 1e-8, -1e-8, 20)
        let r = fastExp(v)
        XCTAssertEqual(r[0], 1); XCTAssertEqual(r[1], 1)
        XCTAssertEqual(r[2], Float(M_E), accuracy: 1e-6)
        XCTAssertEqual(r[4], Float(Foundation.exp(Double(Float(88.7)))), accuracy: 3e32)
        XCTAssertEqual(r[5], .infinity)
        XCTAssertGreaterThan(r[6], 0)
        XCTAssertEqual(r[7], Float(Foundation.exp(-88.0)), accuracy: 1e-44); XCTAssertEqual(r[8], 0)
        XCTAssertEqual(r[9], .infinity); XCTAssertEqual(r[10], .infinity); XCTAssertEqual(r[11], 0)
        XCTAssertTrue(r[12].isNaN)
        XCTAssertEqual(r[13], 1); XCTAssertEqual(r[14], 1)
    }

    func testSumAllMatchesDoubleSum() {
        let values = (0..<100_003).map { Float(($0 * 7919) % 1000) * 0.001 - 0.3 }
        let expected = values.reduce(0.0) { $0 + Double($1) }
        let got = values.withUnsafeBufferPointer { sumAll($0.baseAddress!, count: $0.count) }
        XCTAssertEqual(Double(got), expected, accuracy: abs(expected) * 1e-6)
    }
}
