import Codecs
import Kernels
import XCTest

/// CRC-32C against the RFC 3720 (iSCSI) check values and the pure-Python `crc32c` that
/// TensorBoard's record writer uses (`tensorboard.compat.tensorflow_stub.pywrap_tensorflow.crc32c`).
final class CRC32CTests: XCTestCase {
    func testKnownValues() {
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)  // the CRC-32C check value
        XCTAssertEqual(CRC32C.checksum([UInt8]()), 0)
        // RFC 3720 B.4: 32 bytes of zeros, of 0xFF, and ascending 0...31.
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)), 0x62A8_AB43)
        XCTAssertEqual(CRC32C.checksum((0..<32).map { UInt8($0) }), 0x46DD_794E)
    }

    func testFixtureFilesMatchPython() throws {
        // pywrap_tensorflow.crc32c(open(f, 'rb').read()) for the codecs fixtures.
        XCTAssertEqual(CRC32C.checksum(try bundledBytes("codecs/text.txt")), 0x4095_61BB)
        XCTAssertEqual(CRC32C.checksum(try bundledBytes("codecs/binary.bin")), 0xDCCB_C821)
    }

    /// Every length and split point agrees with the bit-at-a-time definition.
    func testMatchesBitwiseDefinitionAndContinues() {
        var rng = SplitMix64(seed: 11)
        let data = (0..<300).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        for count in 0...data.count {
            let slice = Array(data[0..<count])
            XCTAssertEqual(CRC32C.checksum(slice), referenceCRC32C(slice), "length \(count)")
        }
        for split in stride(from: 0, through: data.count, by: 7) {
            let first = Array(data[0..<split]), second = Array(data[split...])
            XCTAssertEqual(CRC32C.checksum(second, continuing: CRC32C.checksum(first)), CRC32C.checksum(data))
        }
    }

    private func referenceCRC32C(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            c ^= UInt32(byte)
            for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        }
        return ~c
    }
}
