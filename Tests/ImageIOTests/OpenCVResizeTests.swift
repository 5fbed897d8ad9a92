import ArrayIO
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

    /// Small cv2.resize cases bundled in `Tests/Fixtures/imageops` (made by `make_cv2_cases.py`): an exact
    /// 2x shrink (OpenCV 5 keeps the linear path there), an odd shrink, an upsample, 1x1 and a height-only
    /// shrink. Bit-exact.
    func testBundledOpenCVCasesExactly() throws {
        let input = try bundledMap("cv2_in_20x16.npy")
        XCTAssertEqual([input.height, input.width], [16, 20])
        for (width, height) in [(10, 8), (7, 5), (31, 23), (1, 1), (20, 3)] {
            let expected = try bundledMap("cv2_linear_\(width)x\(height).npy")
            let actual = input.resizedBilinearOpenCV(width: width, height: height)
            XCTAssertEqual([actual.height, actual.width], [expected.height, expected.width])
            XCTAssertEqual(actual.values.count, expected.values.count)
            let comparison = compare(actual.values, expected.values)
            XCTAssertEqual(comparison.maxAbsoluteError, 0, "\(width)x\(height): \(comparison)")
        }
    }

    private func bundledMap(_ name: String) throws -> FloatMap {
        let array = try NPY.read(contentsOf: Fixtures.bundled("imageops/\(name)"))
        XCTAssertEqual(array.elementType, .float32, name)
        XCTAssertEqual(array.shape.count, 2, name)
        return FloatMap(width: array.shape[1], height: array.shape[0], values: array.floatValues())
    }
}
