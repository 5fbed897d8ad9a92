import ArrayIO
import Codecs
import Foundation
import ImageIO
import TestSupport
import XCTest


/// Whether the opt-in long tests run (`MD2_LONG_TESTS=1`).
var longTestsEnabled: Bool { ProcessInfo.processInfo.environment["MD2_LONG_TESTS"] == "1" }

/// The bytes of `io/png/NAME` in the shared reference folder.
func pngFixtureBytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: Fixtures.reference("io/png/\(name)")))
}

/// Builds PNG files chunk by chunk for malformed-input tests.
enum PNGBuilder {
    static func chunk(_ type: String, _ data: [UInt8], corruptCRC: Bool = false) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        var crc = CRC32.checksum(data, continuing: CRC32.checksum(typeBytes))
        if corruptCRC { crc ^= 1 }
        return bigEndian(UInt32(data.count)) + typeBytes + data + bigEndian(crc)
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    static func ihdr(width: Int, height: Int, bitDepth: Int, colorType: Int, interlace: Int = 0) -> [UInt8] {
        chunk("IHDR", bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [UInt8(bitDepth), UInt8(colorType), 0, 0, UInt8(interlace)])
    }

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A complete file: signature, IHDR, `extra` chunks, one IDAT of `raw` (filter bytes included), IEND.
    static func file(width: Int, height: Int, bitDepth: Int, colorType: Int, raw: [UInt8], extra: [UInt8] = [],
                     interlace: Int = 0) -> [UInt8] {
        signature + ihdr(width: width, height: height, bitDepth: bitDepth, colorType: colorType, interlace: interlace)
            + extra + chunk("IDAT", Deflate.compressZlib(raw)) + chunk("IEND", [])
    }
}
