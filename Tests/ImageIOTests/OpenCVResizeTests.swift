import ImageIO
import TestSupport
import XCTest

/// `cv2.resize(x, (1242, 375))` (INTER_LINEAR, float32) parity, every element. The fixture README's
/// tolerance is 1e-6 absolute; this implementation is bit-exact on it, so the test asserts exactness.
final class OpenCVResizeTests: XCTestCase {
    func testMatchesOpenCVLinearOnEvaluationSizes() throws {
        let input = try ImageOpsFixtures.floatMap("io/resize/cv2_linear_in_192x640.npy")
        let expected = try ImageOpsFixtures.floatMap("io/resize/cv2_linear_out_375x1242.npy")
        XCTAssertEqual([input.height, input.width], [192, 640])
        XCTAssertEqual([expected.height, expected.width], [375, 1242])
        let actual = input.resizedBilinearOpenCV(width: 1242, height: 375)
        XCTAssertEqual([actual.height, actual.width], [375, 1242])
        XCTAssertEqual(actual.values.count, expected.values.count)
        let comparison = compare(actual.values, expected.values)
        XCTAssertEqual(comparison.maxAbsoluteError, 0, "\(comparison)")
        XCTAssertLessThanOrEqual(comparison.maxAbsoluteError, 1e-6, "README tolerance: \(comparison)")
    }

    func testIdentitySizeReturnsTheInput() throws {
        // Same size: every position lands on a source sample with fraction 0.
        let input = try ImageOpsFixtures.floatMap("io/resize/cv2_linear_in_192x640.npy")
        XCTAssertEqual(input.resizedBilinearOpenCV(width: 640, height: 192), input)
    }

    func testTinyUpsampleMatchesHandComputedOpenCVValues() {
        // cv2.resize(np.arange(8, dtype=np.float32).reshape(1, 8), (15, 1)) printed by OpenCV 5.0:
        // [0, 0.3, 0.8333333, 1.3666667, 1.9, 2.4333334, 2.9666667, 3.5, 4.0333333, 4.5666666, 5.1,
        //  5.633333, 6.1666665, 6.7, 7]
        let ramp = FloatMap(width: 8, height: 1, values: (0..<8).map(Float.init))
        let expected: [Float] = [0, 0.3, 0.8333333, 1.3666667, 1.9, 2.4333334, 2.9666667, 3.5, 4.0333333,
                                 4.5666666, 5.1, 5.633333, 6.1666665, 6.7, 7]
        let actual = ramp.resizedBilinearOpenCV(width: 15, height: 1)
        XCTAssertEqual(actual.values.count, 15)
        for (index, value) in actual.values.enumerated() {
            XCTAssertEqual(value, expected[index], accuracy: 1e-6, "index \(index)")
        }
    }
}
