import Codecs
import ImageIO
import XCTest

/// Hand-made broken files: each throws `ImageIOError` naming the file and the problem.
final class PNGMalformedTests: XCTestCase {
    private func assertFails(_ bytes: [UInt8], containing text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try PNG.decode(bytes, file: "bad.png"), file: file, line: line) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix("bad.png: ") && message.contains(text), "expected '\(text)', got '\(message)'",
                          file: file, line: line)
        }
    }

    private let grey3x2: [UInt8] = [0, 1, 2, 3, 0, 4, 5, 6]

    func testValidBaseline() throws {
        let bytes = PNGBuilder.file(width: 3, height: 2, bitDepth: 8, colorType: 0, raw: grey3x2)
        XCTAssertEqual(try PNG.decode(bytes), .eightBit(Image(width: 3, height: 2, channels: 1, pixels: [1, 2, 3, 4, 5, 6])))
    }

    func testSignatureAndChunkStructure() {
        assertFails([0x89, 0x50, 0x4E], containing: "bad signature")
        assertFails(PNGBuilder.signature + PNGBuilder.chunk("IDAT", [1, 2]), containing: "not IHDR")
        let good = PNGBuilder.file(width: 3, height: 2, bitDepth: 8, colorType: 0, raw: grey3x2)
        assertFails(Array(good[0..<20]), containing: "truncated PNG chunk")
        var badCRC = good
        badCRC[20] ^= 0x10  // inside IHDR's data
        assertFails(badCRC, containing: "bad CRC in PNG chunk IHDR")
        var badType = good
        badType[12] = 0x31
        assertFails(badType, containing: "invalid PNG chunk type")
        assertFails(PNGBuilder.signature + PNGBuilder.ihdr(width: 3, height: 2, bitDepth: 8, colorType: 0) + PNGBuilder.chunk("IEND", []),
                    containing: "no IDAT")
    }

    func testHeaderValidation() {
        for (depth, type) in [(3, 0), (16, 3), (4, 2), (1, 6), (8, 5), (2, 4)] {
            assertFails(PNGBuilder.file(width: 3, height: 2, bitDepth: depth, colorType: type, raw: grey3x2),
                        containing: type == 5 ? "colour type" : "bit depth")
        }
        assertFails(PNGBuilder.file(width: 0, height: 2, bitDepth: 8, colorType: 0, raw: grey3x2), containing: "invalid PNG size")
        assertFails(PNGBuilder.file(width: 3, height: 2, bitDepth: 8, colorType: 0, raw: grey3x2, interlace: 2),
                    containing: "interlace")
    }

    /// 65535 x 65535 x RGBA would be 17 GB: refused from the header, before any allocation.
    func testAbsurdDimensionsFailFast() {
        let huge = PNGBuilder.file(width: 65535, height: 65535, bitDepth: 8, colorType: 6, raw: [0, 0, 0, 0])
        assertFails(huge, containing: "exceeds the limit")
        // Within the pixel limit but far more than the compressed data can hold.
        XCTAssertThrowsError(try PNG.decode(huge, file: "bad.png", maximumPixels: Int.max)) { error in
            XCTAssertTrue("\(error)".contains("image data too short"), "\(error)")
        }
        let widest = PNGBuilder.file(width: 0x7FFF_FFFF, height: 0x7FFF_FFFF, bitDepth: 16, colorType: 6, raw: [0])
        XCTAssertThrowsError(try PNG.decode(widest, file: "bad.png", maximumPixels: Int.max)) { error in
            XCTAssertTrue("\(error)".contains("too large"), "\(error)")
        }
        let tall = PNGBuilder.file(width: 1, height: 0x7FFF_FFFF, bitDepth: 16, colorType: 6, raw: [0])
        XCTAssertThrowsError(try PNG.decode(tall, file: "bad.png", maximumPixels: Int.max)) { error in
            XCTAssertTrue("\(error)".contains("image data too short"), "\(error)")
        }
    }

    func testImageDataProblems() {
        assertFails(PNGBuilder.file(width: 3, height: 2, bitDepth: 8, colorType: 0, raw: [0, 1, 2, 3, 5, 4, 5, 6]),
                    containing: "invalid PNG filter type 5 in row 1")
        assertFails(PNGBuilder.file(width: 3, height: 2, bitDepth: 8, colorType: 0, raw: Array(grey3x2[0..<6])),
                    containing: "image data truncated (6 of 8 bytes)")
        let corrupt = PNGBuilder.signature + PNGBuilder.ihdr(width: 3, height: 2, bitDepth: 8, colorType: 0)
            + PNGBuilder.chunk("IDAT", [0x78, 0x9C, 0x07, 0, 0, 0]) + PNGBuilder.chunk("IEND", [])
        assertFails(corrupt, containing: "corrupt PNG image data: invalid deflate block type 3")
        assertFails(PNGBuilder.file(width: 3, height: 2, bitDepth: 8, colorType: 3, raw: grey3x2), containing: "without a PLTE")
        assertFails(PNGBuilder.file(width: 3, height: 2, bitDepth: 8, colorType: 3, raw: grey3x2,
                                    extra: PNGBuilder.chunk("PLTE", [1, 2, 3, 4])), containing: "invalid PLTE chunk length 4")
    }

    func testSurplusDataAndMissingIENDAreAccepted() throws {
        // Pillow ignores image data past the last row and a missing IEND; so do we.
        let expected = PNGImage.eightBit(Image(width: 3, height: 2, channels: 1, pixels: [1, 2, 3, 4, 5, 6]))
        XCTAssertEqual(try PNG.decode(PNGBuilder.file(width: 3, height: 2, bitDepth: 8, colorType: 0, raw: grey3x2 + [9, 9, 9])), expected)
        let noEnd = PNGBuilder.signature + PNGBuilder.ihdr(width: 3, height: 2, bitDepth: 8, colorType: 0)
            + PNGBuilder.chunk("IDAT", Deflate.compressZlib(grey3x2))
        XCTAssertEqual(try PNG.decode(noEnd), expected)
    }

    func testPaletteWithTransparency() throws {
        // Pillow: indices unchanged; convert("RGBA") gives tRNS alpha, black opaque past the palette.
        let bytes = PNGBuilder.file(width: 4, height: 1, bitDepth: 8, colorType: 3, raw: [0, 0, 1, 2, 9],
                                    extra: PNGBuilder.chunk("PLTE", [10, 20, 30, 40, 50, 60, 70, 80, 90]) + PNGBuilder.chunk("tRNS", [0, 128]))
        guard case .indexed(let indices, let palette) = try PNG.decode(bytes) else { return XCTFail("not indexed") }
        XCTAssertEqual(indices.pixels, [0, 1, 2, 9])
        XCTAssertEqual(palette.rgba(indices: indices).pixels,
                       [10, 20, 30, 0, 40, 50, 60, 128, 70, 80, 90, 255, 0, 0, 0, 255])
        XCTAssertEqual(palette.rgb(indices: indices).pixels, [10, 20, 30, 40, 50, 60, 70, 80, 90, 0, 0, 0])
    }
}
