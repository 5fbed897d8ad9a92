import Codecs
import Kernels
import XCTest

/// Random and mutated streams: the decoder may accept or reject them, but must never trap, hang
/// or exceed its limit. Seeded; `MD2_LONG_TESTS=1` runs 20 times more cases.
final class InflateFuzzTests: XCTestCase {
    private var scale: Int { longTestsEnabled ? 20 : 1 }

    func testRandomBytes() {
        var rng = SplitMix64(seed: 1)
        var accepted = 0
        for _ in 0..<(20_000 * scale) {
            let count = Int(rng.next() % 64)
            let data = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if let output = try? Inflate.decompress(data, limit: 1 << 20) {
                XCTAssertLessThanOrEqual(output.count, 1 << 20)
                accepted += 1
            }
        }
        // Plain random bytes are mostly invalid; stored and fixed blocks make some valid.
        XCTAssertLessThan(accepted, 20_000 * scale)
    }

    func testMutatedStreams() throws {
        var rng = SplitMix64(seed: 2)
        let sources = try ["text.l6.zlib", "text.fixed.zlib", "binary.l6.zlib", "text.l0.zlib"].map { try bundledBytes("codecs/\($0)") }
        for iteration in 0..<(1500 * scale) {
            var data = sources[iteration % sources.count]
            switch rng.next() % 4 {
            case 0:
                for _ in 0..<(1 + rng.next() % 4) {
                    let index = Int(rng.next() % UInt64(data.count))
                    data[index] ^= 1 << (rng.next() % 8)
                }
            case 1:
                data.removeLast(Int(rng.next() % UInt64(data.count)))
            case 2:
                let index = Int(rng.next() % UInt64(data.count))
                data.insert(contentsOf: (0..<(1 + rng.next() % 8)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: index)
            default:
                let index = Int(rng.next() % UInt64(data.count))
                data[index] = UInt8(truncatingIfNeeded: rng.next())
            }
            // Skip the zlib header so mutations reach the DEFLATE data more often.
            _ = try? Inflate.decompress(Array(data.dropFirst(2)), limit: 1 << 20)
            _ = try? Inflate.decompressZlib(data, limit: 1 << 20)
        }
    }
}
