import Kernels
import XCTest

/// The package's one SplitMix64 against the reference outputs (Vigna's splitmix64.c, seed 1234567)
/// and against itself: the stream, the O(1) `output(seed:index:)` and the finaliser agree.
final class SplitMix64Tests: XCTestCase {
    func testReferenceOutputs() {
        var generator = SplitMix64(seed: 1_234_567)
        let expected: [UInt64] = [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
                                  4_593_380_528_125_082_431, 16_408_922_859_458_223_821]
        for (index, value) in expected.enumerated() {
            XCTAssertEqual(generator.next(), value, "output \(index)")
            XCTAssertEqual(SplitMix64.output(seed: 1_234_567, index: UInt64(index)), value, "output(seed:index: \(index))")
        }
        XCTAssertEqual(generator.state, 1_234_567 &+ 5 &* SplitMix64.gamma)
    }

    func testFinaliser() {
        XCTAssertEqual(SplitMix64.mix(0), 0)
        XCTAssertEqual(SplitMix64.mix(1), 6_238_072_747_940_578_789)
        XCTAssertEqual(SplitMix64.mix(.max), 13_029_008_266_876_403_067)
    }
}
