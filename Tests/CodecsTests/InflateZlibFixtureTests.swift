import Codecs
import XCTest

/// Inflate of streams made by CPython's zlib (Tests/Fixtures/codecs/README.md has the recipe).
final class InflateZlibFixtureTests: XCTestCase {
    func testTextAtEveryLevel() throws {
        let text = try bundledBytes("codecs/text.txt")
        for name in ["text.l0.zlib", "text.l1.zlib", "text.l6.zlib", "text.l9.zlib", "text.fixed.zlib"] {
            let stream = try bundledBytes("codecs/\(name)")
            let output = try Inflate.decompressZlib(stream)
            XCTAssertEqual(output.count, text.count, name)
            XCTAssertEqual(output, text, name)
            // Presized exactly, and with a too-small guess (the output must grow).
            XCTAssertEqual(try Inflate.decompressZlib(stream, expectedSize: text.count), text, name)
            XCTAssertEqual(try Inflate.decompressZlib(stream, expectedSize: 1), text, name)
        }
    }

    func testBlockTypesOfFixtures() throws {
        // Guards the fixtures themselves: the first block header is in the third byte's bits 1-2.
        XCTAssertEqual((try bundledBytes("codecs/text.l0.zlib")[2] >> 1) & 3, 0)
        XCTAssertEqual((try bundledBytes("codecs/text.fixed.zlib")[2] >> 1) & 3, 1)
        XCTAssertEqual((try bundledBytes("codecs/text.l6.zlib")[2] >> 1) & 3, 2)
    }

    func testBinary() throws {
        let binary = try bundledBytes("codecs/binary.bin")
        for name in ["binary.l1.zlib", "binary.l6.zlib"] {
            let output = try Inflate.decompressZlib(try bundledBytes("codecs/\(name)"))
            XCTAssertEqual(output.count, binary.count, name)
            XCTAssertEqual(output, binary, name)
        }
    }

    func testRawDeflateAndConsumedCount() throws {
        let text = try bundledBytes("codecs/text.txt")
        let stream = try bundledBytes("codecs/text.raw9.deflate")
        XCTAssertEqual(try Inflate.decompress(stream), text)
        // Trailing bytes are left alone and `consumed` says where the stream ended.
        let padded = stream + [1, 2, 3, 4, 5]
        let result = try padded.withUnsafeBytes { try Inflate.decompress($0) }
        XCTAssertEqual(result.output, text)
        XCTAssertEqual(result.consumed, stream.count)
    }

    func testEmptyStream() throws {
        XCTAssertEqual(try Inflate.decompressZlib(try bundledBytes("codecs/empty.zlib")), [])
    }

    func testLyingExpectedSizeIsNotAllocated() throws {
        // A container may claim any size; 1 TB is not allocated for a 6901-byte stream (the
        // 1032:1 DEFLATE bound caps the first allocation), and the result is still right.
        let stream = try bundledBytes("codecs/text.l6.zlib")
        XCTAssertEqual(try Inflate.decompressZlib(stream, expectedSize: 1 << 40, limit: 1 << 41).count, 41230)
    }

    func testLimitIsEnforced() throws {
        let stream = try bundledBytes("codecs/text.l6.zlib")
        XCTAssertThrowsError(try Inflate.decompressZlib(stream, limit: 41229)) { error in
            XCTAssertTrue("\(error)".contains("limit"), "\(error)")
        }
        XCTAssertEqual(try Inflate.decompressZlib(stream, limit: 41230).count, 41230)
    }

    func testStopAtLimitLendsThePrefix() throws {
        let text = try bundledBytes("codecs/text.txt")
        for name in ["text.l0.zlib", "text.l6.zlib", "text.fixed.zlib"] {
            let stream = try bundledBytes("codecs/\(name)")
            for limit in [0, 1, 1000, 41229, 41230] {
                let (prefix, complete) = try stream.withUnsafeBytes { raw in
                    try Inflate.withDecompressedZlib(raw, expectedSize: limit, limit: limit, stopAtLimit: true) { (Array($0), $1) }
                }
                XCTAssertEqual(prefix, Array(text[0..<limit]), "\(name) limit \(limit)")
                // At the exact size the stream ends normally (end-of-block needs no room).
                XCTAssertEqual(complete, limit == text.count, "\(name) limit \(limit)")
            }
        }
    }
}
