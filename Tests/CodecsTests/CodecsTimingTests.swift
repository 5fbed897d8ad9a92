import Codecs
import Foundation
import XCTest

/// Opt-in timings (MD2_LONG_TESTS=1), printed for comparison with CPython's zlib on the same files
/// (`python3 -c "import zlib,time; ..."`, see the deflate-png report). Speed is never asserted.
final class CodecsTimingTests: XCTestCase {
    private func bestMilliseconds(runs: Int, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return best
    }

    func testInflateAndDeflateTimings() throws {
        try XCTSkipUnless(longTestsEnabled, "set MD2_LONG_TESTS=1 to time the codecs")
        for name in ["text.l6.zlib", "binary.l6.zlib"] {
            let stream = try bundledBytes("codecs/\(name)")
            var size = 0
            let ms = try bestMilliseconds(runs: 200) { size = try Inflate.decompressZlib(stream).count }
            print(String(format: "inflate %@: %.3f ms, %.0f MB/s", name, ms, Double(size) / ms / 1e3))
        }
        let text = try bundledBytes("codecs/text.txt")
        for level in [1, 6, 9] {
            var size = 0
            let ms = bestMilliseconds(runs: 20) { size = Deflate.compressZlib(text, level: level).count }
            print(String(format: "deflate text.txt level %d: %.3f ms, %d bytes", level, ms, size))
        }
        let crcInput = [UInt8](repeating: 0x5A, count: 1 << 24)
        var sink: UInt32 = 0
        let crcMs = bestMilliseconds(runs: 5) { sink ^= CRC32.checksum(crcInput) }
        let adlerMs = bestMilliseconds(runs: 5) { sink ^= Adler32.checksum(crcInput) }
        print(String(format: "CRC32 %.0f MB/s, Adler32 %.0f MB/s (16 MiB) %u", 16.78e3 / crcMs, 16.78e3 / adlerMs, sink))
    }
}
