import Foundation
import ImageIO
import TestSupport
import XCTest

/// Opt-in (MD2_LONG_TESTS=1): prints decode timings; no timed assertions. `MD2_JPEG_BENCH_FILES`
/// (colon-separated paths) adds files, e.g. a 1242x375 4:2:0 q92 KITTI-sized JPEG.
final class JPEGSpeedTests: XCTestCase {
    func testPrintDecodeTimings() throws {
        let environment = ProcessInfo.processInfo.environment
        try XCTSkipUnless(environment["MD2_LONG_TESTS"] == "1", "set MD2_LONG_TESTS=1 to run")
        var files = [Fixtures.reference("kitti/raw/2011_09_26/2011_09_26_drive_0001_sync/image_02/data/0000000000.jpg"),
                     Fixtures.reference("io/jpeg/q92_420.jpg"),
                     Fixtures.reference("io/jpeg/progressive_420.jpg")]
        if let extra = environment["MD2_JPEG_BENCH_FILES"] {
            files += extra.split(separator: ":").map { URL(fileURLWithPath: String($0)) }
        }
        for url in files {
            let bytes = try [UInt8](Data(contentsOf: url))
            let timing = try JPEGBench.decode(bytes, file: url.lastPathComponent, seconds: 2)
            print("JPEG decode \(url.lastPathComponent) (\(bytes.count) bytes): \(timing)")
        }
    }
}
