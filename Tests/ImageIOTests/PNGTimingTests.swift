import Foundation
import ImageIO
import TestSupport
import XCTest

/// Opt-in timing (MD2_LONG_TESTS=1) of decoding the full-size KITTI-like depth map, printed for
/// comparison with Pillow (`np.asarray(Image.open(f))`) run in the same sitting. It asserts only
/// correctness: speed is measured, never asserted, in tests.
final class PNGTimingTests: XCTestCase {
    func testDecodeDepth16Timing() throws {
        try XCTSkipUnless(longTestsEnabled, "set MD2_LONG_TESTS=1 to time PNG decoding")
        let bytes = try pngFixtureBytes("depth16_1242x375.png")
        var timings: [Double] = []
        for _ in 0..<30 {
            let start = DispatchTime.now().uptimeNanoseconds
            let image = try PNG.decode(bytes)
            timings.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            XCTAssertEqual(image.width, 1242)
        }
        timings.sort()
        print(String(format: "PNG decode depth16_1242x375: median %.2f ms, best %.2f ms (30 runs)", timings[15], timings[0]))

        let rgb = Image(width: 1242, height: 375, channels: 3,
                        pixels: (0..<(1242 * 375 * 3)).map { UInt8(truncatingIfNeeded: ($0 / 3 % 1242) / 5 + ($0 / 3726) / 3 + $0 % 3 * 40) })
        let encodeStart = DispatchTime.now().uptimeNanoseconds
        let encoded = try PNG.encode(rgb)
        let encodeMs = Double(DispatchTime.now().uptimeNanoseconds - encodeStart) / 1e6
        print(String(format: "PNG encode 1242x375 RGB gradient: %.2f ms, %d bytes", encodeMs, encoded.count))
        XCTAssertEqual(try PNG.decode(encoded), .eightBit(rgb))
    }
}
