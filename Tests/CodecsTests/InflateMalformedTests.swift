import Codecs
import XCTest

/// Hand-made malformed streams: each must throw `CodecError` with the right problem, never trap.
final class InflateMalformedTests: XCTestCase {
    private func assertFails(_ stream: [UInt8], containing text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Inflate.decompress(stream), file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains(text), "expected '\(text)', got '\(error)'", file: file, line: line)
        }
    }

    func testBlockTypeThree() {
        assertFails([0x07], containing: "block type")
    }

    func testStoredLengthMismatchAndTruncation() {
        assertFails([0x01, 0x05, 0x00, 0x00, 0x00, 1, 2, 3, 4, 5], containing: "stored block length")
        assertFails([0x01, 0x05, 0x00, 0xFA, 0xFF, 1, 2], containing: "truncated")
        assertFails([0x01, 0x05, 0x00], containing: "truncated")
        XCTAssertEqual(try Inflate.decompress([0x01, 0x03, 0x00, 0xFC, 0xFF, 7, 8, 9]), [7, 8, 9])
    }

    func testDistanceTooFarBack() {
        var bits = BitStream()
        bits.fixedBlockHeader(final: true)
        bits.fixedLiteral(97)
        bits.huffman(0b0000001, 7)      // length 3 (symbol 257)
        bits.huffman(0b00001, 5)        // distance 2 (symbol 1)
        bits.huffman(0, 7)              // end of block
        assertFails(bits.bytes, containing: "too far back")
    }

    func testFixedBlockRoundTripOfTheHelper() throws {
        // The same helper makes a valid stream: 'a', then 'a' x 3 copied from distance 1.
        var bits = BitStream()
        bits.fixedBlockHeader(final: true)
        bits.fixedLiteral(97)
        bits.huffman(0b0000001, 7)
        bits.huffman(0b00000, 5)        // distance 1 (symbol 0)
        bits.huffman(0, 7)
        XCTAssertEqual(try Inflate.decompress(bits.bytes), [97, 97, 97, 97])
    }

    func testInvalidDistanceSymbolInFixedBlock() {
        var bits = BitStream()
        bits.fixedBlockHeader(final: true)
        bits.fixedLiteral(97)
        bits.huffman(0b0000001, 7)
        bits.huffman(0b11110, 5)        // distance symbol 30: never valid
        assertFails(bits.bytes, containing: "invalid distance code")
    }

    func testInvalidLengthSymbolInFixedBlock() {
        var bits = BitStream()
        bits.fixedBlockHeader(final: true)
        bits.huffman(0b11000110, 8)     // literal/length symbol 286: never valid
        assertFails(bits.bytes, containing: "invalid literal/length code")
    }

    func testTooManyCodes() {
        var bits = BitStream()
        bits.bits(1, 1); bits.bits(2, 2)
        bits.bits(30, 5); bits.bits(0, 5); bits.bits(0, 4)       // HLIT = 287
        bits.bits(0, 64)
        assertFails(bits.bytes, containing: "too many length or literal codes")
        var distances = BitStream()
        distances.bits(1, 1); distances.bits(2, 2)
        distances.bits(0, 5); distances.bits(30, 5); distances.bits(0, 4)  // HDIST = 31
        distances.bits(0, 64)
        assertFails(distances.bytes, containing: "too many distance codes")
    }

    func testOverSubscribedAndIncompletePrecode() {
        var over = BitStream()
        over.bits(1, 1); over.bits(2, 2)
        over.bits(0, 5); over.bits(0, 5); over.bits(15, 4)       // 19 precode lengths
        for _ in 0..<19 { over.bits(1, 3) }                       // all length 1: over-subscribed
        over.bits(0, 64)
        assertFails(over.bytes, containing: "invalid code lengths set")
        var incomplete = BitStream()
        incomplete.bits(1, 1); incomplete.bits(2, 2)
        incomplete.bits(0, 5); incomplete.bits(0, 5); incomplete.bits(0, 4)
        incomplete.bits(1, 3)                                     // only symbol 16 has a code
        for _ in 0..<3 { incomplete.bits(0, 3) }
        incomplete.bits(0, 64)
        assertFails(incomplete.bytes, containing: "invalid code lengths set")
    }

    /// Precode with symbols 0 and 8 (one bit each): literals 0...255 get length 8, then the
    /// end-of-block symbol and the single distance get 0.
    private func dynamicHeader(endOfBlockLength: Int?, repeatFirst: Bool = false) -> BitStream {
        var bits = BitStream()
        bits.bits(1, 1); bits.bits(2, 2)
        bits.bits(0, 5); bits.bits(0, 5); bits.bits(15, 4)
        // Order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1 15; symbols 0, 8 and 7 get length 2,
        // 16 gets length 2 (complete: four codes of length 2).
        let lengths: [Int: Int] = [16: 2, 0: 2, 8: 2, 7: 2]
        for symbol in [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15] {
            bits.bits(lengths[symbol] ?? 0, 3)
        }
        // Canonical codes (length 2, by symbol): 0 -> 00, 7 -> 01, 8 -> 10, 16 -> 11.
        if repeatFirst { bits.huffman(0b11, 2); bits.bits(0, 2) }  // repeat with nothing before
        for _ in 0..<256 { bits.huffman(0b10, 2) }
        if let endOfBlockLength { bits.huffman(endOfBlockLength == 7 ? 0b01 : 0b00, 2) } else { bits.huffman(0b00, 2) }
        bits.huffman(0b00, 2)                                     // the one distance length: 0
        return bits
    }

    func testMissingEndOfBlockCode() {
        var bits = dynamicHeader(endOfBlockLength: nil)
        bits.bits(0, 64)
        assertFails(bits.bytes, containing: "missing end-of-block")
    }

    func testRepeatWithoutPreviousLength() {
        var bits = dynamicHeader(endOfBlockLength: 7, repeatFirst: true)
        bits.bits(0, 64)
        assertFails(bits.bytes, containing: "invalid bit length repeat")
    }

    func testOverSubscribedLiteralCode() {
        // 256 codes of length 8 fill the code space; the end-of-block code of length 7 overflows it.
        var bits = dynamicHeader(endOfBlockLength: 7)
        bits.bits(0, 64)
        assertFails(bits.bytes, containing: "invalid literal/lengths set")
    }

    func testZlibWrapperErrors() throws {
        let good = try bundledBytes("codecs/text.l6.zlib")
        var badAdler = good
        badAdler[badAdler.count - 1] ^= 1
        XCTAssertThrowsError(try Inflate.decompressZlib(badAdler)) { XCTAssertTrue("\($0)".contains("Adler-32")) }
        var badCheck = good
        badCheck[1] ^= 1
        XCTAssertThrowsError(try Inflate.decompressZlib(badCheck)) { XCTAssertTrue("\($0)".contains("header check")) }
        XCTAssertThrowsError(try Inflate.decompressZlib([0x78, 0xBB, 0, 0, 0, 0, 0])) { XCTAssertTrue("\($0)".contains("dictionary")) }
        XCTAssertThrowsError(try Inflate.decompressZlib([0x79, 0x9C])) { XCTAssertTrue("\($0)".contains("method")) }
        XCTAssertThrowsError(try Inflate.decompressZlib([])) { XCTAssertTrue("\($0)".contains("truncated")) }
        XCTAssertThrowsError(try Inflate.decompress([])) { XCTAssertTrue("\($0)".contains("truncated")) }
    }

    /// Every proper prefix of a zlib stream is an error (missing blocks, bits or checksum).
    func testEveryTruncationThrows() throws {
        for name in ["text.l6.zlib", "text.fixed.zlib", "text.l0.zlib", "binary.l1.zlib"] {
            let stream = try bundledBytes("codecs/\(name)")
            var cut = 0
            while cut < stream.count {
                XCTAssertThrowsError(try Inflate.decompressZlib(Array(stream[0..<cut])), "\(name) cut at \(cut)")
                cut += cut < 300 || stream.count - cut < 300 ? 1 : 97
            }
        }
    }
}

/// Composes DEFLATE bit streams by hand: plain fields LSB first, Huffman codes MSB first.
struct BitStream {
    private(set) var bytes: [UInt8] = []
    private var used = 0

    mutating func bits(_ value: Int, _ count: Int) {
        for bit in 0..<count {
            if used == 0 { bytes.append(0) }
            if value >> bit & 1 != 0 { bytes[bytes.count - 1] |= 1 << used }
            used = (used + 1) & 7
        }
    }

    mutating func huffman(_ code: Int, _ length: Int) {
        for bit in stride(from: length - 1, through: 0, by: -1) { bits(code >> bit & 1, 1) }
    }

    mutating func fixedBlockHeader(final: Bool) {
        bits(final ? 1 : 0, 1)
        bits(1, 2)
    }

    /// A literal 0...143 in the fixed code (8 bits from 0x30).
    mutating func fixedLiteral(_ byte: Int) { huffman(0x30 + byte, 8) }
}
