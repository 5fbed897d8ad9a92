import ArrayIO
import ImageIO
import Kernels
import TestSupport
import XCTest

/// Magma table and the demo's disparity-to-colour pipeline: exact (README: exact match required).
final class ColormapTests: XCTestCase {
    func testMagmaTableMatchesMatplotlib() throws {
        let bytes = try Fixtures.npy("io/colormap/magma_256x3_u8.npy")
        XCTAssertEqual(bytes.shape, [256, 3])
        XCTAssertEqual(Colormap.magma.bytes.count, 768)
        for index in 0..<768 {
            XCTAssertEqual(Colormap.magma.bytes[index], bytes.bytes[index], "byte \(index)")
        }
        let rgba = try Fixtures.npy("io/colormap/magma_256x4.npy")
        XCTAssertEqual(rgba.shape, [256, 4])
        let values = rgba.doubleValues()
        for entry in 0..<256 {
            for channel in 0..<3 {
                XCTAssertEqual(Colormap.magma.values[3 * entry + channel], values[4 * entry + channel],
                               "entry \(entry) channel \(channel)")
            }
        }
    }

    func testDemoColorizationMatchesMatplotlibExactly() throws {
        let disparity = try ImageOpsFixtures.floatMap("io/colormap/disp_in.npy")
        XCTAssertEqual([disparity.height, disparity.width], [48, 160])
        let expected = try ImageOpsFixtures.image("io/colormap/colormapped_out.npy")
        XCTAssertEqual([expected.height, expected.width, expected.channels], [48, 160, 3])
        assertImagesEqual(Colormap.magma.colorizeDisparity(disparity), expected, "colormapped disp_in")
    }

    func testDemoRangeIsMinimumAnd95thPercentile() throws {
        let disparity = try ImageOpsFixtures.floatMap("io/colormap/disp_in.npy")
        let range = Colormap.demoRange(disparity.values)
        // disp.min() and np.percentile(disp, 95) as NumPy 2.4 prints them.
        XCTAssertEqual(range.vmin, 0.011764706)
        XCTAssertEqual(range.vmax, 0.9647059)
    }

    func testPercentileMatchesNumPy() {
        // np.percentile(np.array([3,1,4,1,5,9,2,6,5,3,5], np.float32) / 7, p) printed by NumPy 2.4.
        let values: [Float] = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5].map { Float($0) / 7 }
        let expected: [(Double, Float)] = [(0, 0.14285715), (10, 0.14285715), (50, 0.5714286),
                                           (95, 1.0714285), (99, 1.2428571), (100, 1.2857143)]
        for (percent, value) in expected {
            XCTAssertEqual(Percentile.linear(values, percent: percent), value, "p\(percent)")
        }
        // np.percentile(np.array([0.1, 0.2, 0.3], np.float32), p): both interpolation branches.
        let small: [Float] = [0.1, 0.2, 0.3]
        XCTAssertEqual(Percentile.linear(small, percent: 95), 0.29000002)
        XCTAssertEqual(Percentile.linear(small, percent: 33.3), 0.1666)
        XCTAssertEqual(Percentile.linear(small, percent: 66.7), 0.2334)
        XCTAssert(Percentile.linear([1, .nan], percent: 50).isNaN)
        XCTAssert(Percentile.linear([], percent: 50).isNaN)
    }

    func testSelectionAgreesWithSortingOnRandomData() {
        // Checks the O(n) selection against a full sort: percentiles 0 and 100 are the extremes, and a
        // percentile whose virtual index is an integer k (t = 0) is exactly sorted[k].
        var generator = SplitMix64(seed: 7)
        for trial in 0..<200 {
            let count = 4 * (1 + trial * 7 % 80) + 1
            // Few distinct values on odd trials, so ties are common.
            let values: [Float] = (0..<count).map { _ in
                trial % 2 == 0 ? Float.random(in: -5..<5, using: &generator)
                               : Float(Int.random(in: 0..<4, using: &generator))
            }
            let sorted = values.sorted()
            XCTAssertEqual(Percentile.linear(values, percent: 0), sorted[0], "trial \(trial)")
            XCTAssertEqual(Percentile.linear(values, percent: 100), sorted[count - 1], "trial \(trial)")
            // With n = 4m + 1 values the quartiles' virtual indices m, 2m, 3m are exact (t = 0).
            let m = (count - 1) / 4
            XCTAssertEqual(Percentile.linear(values, percent: 25), sorted[m], "trial \(trial)")
            XCTAssertEqual(Percentile.linear(values, percent: 50), sorted[2 * m], "trial \(trial)")
            XCTAssertEqual(Percentile.linear(values, percent: 75), sorted[3 * m], "trial \(trial)")
            // percent = 100 k / (n - 1) puts the virtual index at k (up to rounding of the division);
            // the result must lie between the neighbouring order statistics.
            let k = Int.random(in: 0..<(count - 1), using: &generator)
            let value = Percentile.linear(values, percent: 100 * Double(k) / Double(count - 1))
            XCTAssert(sorted[k] <= value && value <= sorted[k + 1], "trial \(trial): \(value) not in [\(sorted[k]), \(sorted[k + 1])]")
        }
    }

    func testEdgeValues() {
        let table = Colormap.magma.bytes
        let first = Array(table[0..<3]), last = Array(table[765..<768])
        let map = FloatMap(width: 5, height: 1, values: [0, 1, 2, .nan, -1])
        let image = Colormap.magma.colorize(map, vmin: 0, vmax: 1)
        XCTAssertEqual(Array(image.pixels[0..<3]), first)       // x = 0
        XCTAssertEqual(Array(image.pixels[3..<6]), last)        // x = 1 -> k = 256 -> 255
        XCTAssertEqual(Array(image.pixels[6..<9]), last)        // above vmax
        XCTAssertEqual(Array(image.pixels[9..<12]), [0, 0, 0])  // NaN: bad colour
        XCTAssertEqual(Array(image.pixels[12..<15]), first)     // below vmin
        let constant = FloatMap(width: 3, height: 1, repeating: 0.5)
        XCTAssertEqual(Colormap.magma.colorizeDisparity(constant).pixels, first + first + first)
        let withNaN = FloatMap(width: 2, height: 1, values: [0.5, .nan])
        XCTAssertEqual(Colormap.magma.colorizeDisparity(withNaN).pixels, [0, 0, 0, 0, 0, 0])
    }
}
