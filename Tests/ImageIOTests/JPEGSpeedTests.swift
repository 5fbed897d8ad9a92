import Foundation
import ImageIO
import TestSupport
import XCTest

/// Opt-in (MD2_LONG_TESTS=1): prints decode timings; no timed assertions. Files timed:
/// - the KITTI-sized fixture kitti/.../image_02/data/0000000000.jpg (1242x375, 4:2:0, q92, noise: the
///   worst case for the entropy decoder);
/// - the demo image scaled to 1242x375 by nearest neighbour (x * 638 / 1242, y * 235 / 375), encoded
///   here at q92 4:2:0 (byte-identical to Pillow's `save(quality=92, subsampling=2)` of the same pixels);
///   with MD2_JPEG_BENCH_DUMP=DIR it is also written to DIR/demo_nearest_1242x375_q92.jpg for Pillow;
/// - io/jpeg/q92_420.jpg and progressive_420.jpg (638x235);
/// - any files in MD2_JPEG_BENCH_FILES (colon-separated).
/// Pillow's side: `python3 -c "import io,sys,time,numpy as np;from PIL import Image; b=open(sys.argv[1],'rb').read();
/// t=[(lambda s:(np.asarray(Image.open(io.BytesIO(b)).convert('RGB')),time.perf_counter()-s)[1])(time.perf_counter())
/// for _ in range(300)]; print(min(t)*1e3, sorted(t)[150]*1e3)" FILE`.
final class JPEGSpeedTests: XCTestCase {
    func testPrintDecodeTimings() throws {
        let environment = ProcessInfo.processInfo.environment
        try XCTSkipUnless(environment["MD2_LONG_TESTS"] == "1", "set MD2_LONG_TESTS=1 to run")
        var cases: [(String, [UInt8])] = []
        let kitti = "kitti/raw/2011_09_26/2011_09_26_drive_0001_sync/image_02/data/0000000000.jpg"
        cases.append(("KITTI noise 1242x375 q92 4:2:0", try [UInt8](Data(contentsOf: Fixtures.reference(kitti)))))
        let demoImage = try demoAtKITTISize()
        let demo = JPEG.encode(demoImage, quality: 92, subsampling: .s420)
        cases.append(("demo 1242x375 q92 4:2:0", demo))
        print("JPEG encode demo 1242x375 q92 4:2:0: \(JPEGBench.encode(demoImage, quality: 92, seconds: 2))")
        if let folder = environment["MD2_JPEG_BENCH_DUMP"] {
            try Data(demo).write(to: URL(fileURLWithPath: folder).appendingPathComponent("demo_nearest_1242x375_q92.jpg"))
        }
        for name in ["q92_420", "progressive_420"] {
            cases.append((name, try [UInt8](Data(contentsOf: Fixtures.reference("io/jpeg/\(name).jpg")))))
        }
        for path in (environment["MD2_JPEG_BENCH_FILES"] ?? "").split(separator: ":") {
            cases.append((String(path), try [UInt8](Data(contentsOf: URL(fileURLWithPath: String(path))))))
        }
        for (name, bytes) in cases {
            let timing = try JPEGBench.decode(bytes, file: name, seconds: 2)
            print("JPEG decode \(name) (\(bytes.count) bytes): \(timing)")
        }
    }

    func demoAtKITTISize() throws -> Image {
        let source = try Fixtures.npy("io/jpeg/test_image.npy")
        XCTAssertEqual(source.shape, [235, 638, 3])
        let width = 1242, height = 375
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let from = ((y * 235 / height) * 638 + x * 638 / width) * 3
                for c in 0..<3 { pixels[(y * width + x) * 3 + c] = source.bytes[from + c] }
            }
        }
        return Image(width: width, height: height, channels: 3, pixels: pixels)
    }
}
