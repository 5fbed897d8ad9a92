import Codecs
import Kernels
import XCTest

/// CRC-32 and Adler-32 against published check values and CPython's `zlib.crc32` / `zlib.adler32`.
final class ChecksumTests: XCTestCase {
    func testCRC32KnownValues() {
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)  // the CRC-32 check value
        XCTAssertEqual(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)), 0x414F_A339)
        XCTAssertEqual(CRC32.checksum([UInt8]()), 0)
        // zlib.crc32(bytes([255]) * 100000)
        XCTAssertEqual(CRC32.checksum([UInt8](repeating: 255, count: 100_000)), 0x68C6_CEC4)
    }

    func testAdler32KnownValues() {
        XCTAssertEqual(Adler32.checksum(Array("Wikipedia".utf8)), 0x11E6_0398)
        XCTAssertEqual(Adler32.checksum(Array("123456789".utf8)), 0x091E_01DE)
        XCTAssertEqual(Adler32.checksum([UInt8]()), 1)
        // zlib.adler32(bytes([255]) * 100000): the sums overflow without the deferred modulo.
        XCTAssertEqual(Adler32.checksum([UInt8](repeating: 255, count: 100_000)), 0x149A_302C)
    }

    func testFixtureFilesMatchPython() throws {
        let text = try bundledBytes("codecs/text.txt")
        let binary = try bundledBytes("codecs/binary.bin")
        // zlib.crc32 / zlib.adler32 of the files (see Tests/Fixtures/codecs/README.md).
        XCTAssertEqual(CRC32.checksum(text), 0x79C1_FFFE)
        XCTAssertEqual(Adler32.checksum(text), 0x4B84_F9CD)
        XCTAssertEqual(CRC32.checksum(binary), 0xFABA_1F38)
        XCTAssertEqual(Adler32.checksum(binary), 0x786A_C903)
    }

    /// Every length and split point agrees with the bit-at-a-time definitions.
    func testMatchesBitwiseDefinitionAndContinues() {
        var rng = SplitMix64(seed: 7)
        let data = (0..<300).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        for count in 0...data.count {
            let slice = Array(data[0..<count])
            XCTAssertEqual(CRC32.checksum(slice), referenceCRC32(slice), "CRC32 length \(count)")
            XCTAssertEqual(Adler32.checksum(slice), referenceAdler32(slice), "Adler32 length \(count)")
        }
        for split in stride(from: 0, through: data.count, by: 7) {
            let first = Array(data[0..<split]), second = Array(data[split...])
            XCTAssertEqual(CRC32.checksum(second, continuing: CRC32.checksum(first)), CRC32.checksum(data))
            XCTAssertEqual(Adler32.checksum(second, continuing: Adler32.checksum(first)), Adler32.checksum(data))
        }
    }

    private func referenceCRC32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            c ^= UInt32(byte)
            for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
        }
        return ~c
    }

    private func referenceAdler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }
}
