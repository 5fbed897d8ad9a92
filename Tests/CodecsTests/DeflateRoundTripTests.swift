import Codecs
import Kernels
import XCTest

/// Deflate output decoded by our inflater gives the input back, at every level, and compresses
/// about as well as zlib (sizes from CPython's zlib 1.2.13, see Tests/Fixtures/codecs/README.md).
final class DeflateRoundTripTests: XCTestCase {
    private func inputs() throws -> [(String, [UInt8])] {
        var rng = SplitMix64(seed: 3)
        let random = (0..<70_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let smallAlphabet = (0..<12_000).map { _ in UInt8(rng.next() % 4) + 65 }
        let period7 = (0..<40_000).map { UInt8($0 % 7) }
        var image = [UInt8](repeating: 0, count: 64 * 1024)  // a smooth ramp with noise, like pixels
        for index in image.indices { image[index] = UInt8(truncatingIfNeeded: index % 256 / 3 + Int(rng.next() % 3)) }
        return [
            ("empty", []), ("one", [42]), ("abc", Array("abc".utf8)),
            ("zeros300k", [UInt8](repeating: 0, count: 300_000)),
            ("random70k", random), ("random65535", Array(random[0..<65535])), ("random65536", Array(random[0..<65536])),
            ("smallAlphabet", smallAlphabet), ("period7", period7), ("image", image),
            ("text", try bundledBytes("codecs/text.txt")), ("binary", try bundledBytes("codecs/binary.bin")),
        ]
    }

    func testRoundTripEveryLevel() throws {
        for (name, data) in try inputs() {
            // Every level on the small inputs; the greedy/lazy switch points on the big ones.
            for level in data.count > 20000 ? [0, 1, 3, 4, 6, 9] : Array(0...9) {
                let raw = Deflate.compress(data, level: level)
                XCTAssertEqual(try Inflate.decompress(raw), data, "\(name) level \(level)")
                let zlib = Deflate.compressZlib(data, level: level)
                XCTAssertEqual((Int(zlib[0]) << 8 | Int(zlib[1])) % 31, 0, "\(name) level \(level) header")
                XCTAssertEqual(try Inflate.decompressZlib(zlib), data, "\(name) level \(level)")
            }
        }
    }

    func testCompressionIsReal() throws {
        let text = try bundledBytes("codecs/text.txt")
        // zlib.compress(text, 6) is 6901 bytes and level 9 6787; within 8% of zlib.
        XCTAssertLessThanOrEqual(Deflate.compressZlib(text, level: 6).count, 7453)
        XCTAssertLessThanOrEqual(Deflate.compressZlib(text, level: 9).count, 7330)
        XCTAssertLessThanOrEqual(Deflate.compressZlib(text, level: 1).count, 9223 * 11 / 10)
        // Long runs collapse to matches of 258 (about 2 bits each).
        XCTAssertLessThan(Deflate.compress([UInt8](repeating: 0, count: 300_000)).count, 1000)
        // Incompressible data falls back to stored blocks: 5 bytes per block of 16384 symbols.
        var rng = SplitMix64(seed: 4)
        let random = (0..<200_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        XCTAssertLessThanOrEqual(Deflate.compress(random).count, random.count + 5 * (random.count / 16384 + 1))
        // Level 0 stores.
        XCTAssertEqual(Deflate.compress(Array(text[0..<1000]), level: 0).count, 1005)
    }

    func testRandomSizesAndContents() throws {
        var rng = SplitMix64(seed: 5)
        for trial in 0..<60 {
            let count = Int(rng.next() % 5000)
            let alphabet = 1 + rng.next() % 255
            let data = (0..<count).map { _ in UInt8(rng.next() % alphabet) }
            let level = trial % 10
            XCTAssertEqual(try Inflate.decompress(Deflate.compress(data, level: level)), data, "trial \(trial)")
        }
    }
}
