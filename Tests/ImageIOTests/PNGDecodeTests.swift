import ArrayIO
import ImageIO
import TestSupport
import XCTest

/// Every PNG fixture in ../shared/reference/io/png decodes to exactly the array Pillow 13.0.0
/// returns (`np.asarray(Image.open(f))`, stored beside it as .npy); README-io.md: exact match.
final class PNGDecodeTests: XCTestCase {
    private enum Kind { case eightBit, bilevel, sixteenBit, indexed }

    private let fixtures: [(name: String, kind: Kind)] = [
        ("rgb8", .eightBit), ("rgba8", .eightBit), ("gray8", .eightBit), ("graya8", .eightBit),
        ("palette", .indexed), ("depth16", .sixteenBit), ("gray1bit", .bilevel),
        ("gray2bit", .eightBit), ("gray4bit", .eightBit), ("rgb8_adam7", .eightBit), ("rgba8_adam7", .eightBit),
        ("gray16_adam7", .sixteenBit), ("palette4bit_adam7", .indexed), ("gray1bit_adam7_7x5", .bilevel),
        ("gray2bit_adam7", .eightBit), ("gray8_adam7_3x3", .eightBit), ("depth16_1242x375", .sixteenBit),
        ("rgb8_allfilters_3idat", .eightBit),
    ]

    func testEveryFixtureMatchesPillow() throws {
        for (name, kind) in fixtures {
            let decoded = try PNG.read(contentsOf: Fixtures.reference("io/png/\(name).png"))
            let expected = try Fixtures.npy("io/png/\(name).npy")
            let channels = expected.shape.count == 3 ? expected.shape[2] : 1
            XCTAssertEqual([decoded.height, decoded.width], Array(expected.shape[0..<2]), name)
            switch (kind, decoded) {
            case (.eightBit, .eightBit(let image)), (.bilevel, .bilevel(let image)), (.indexed, .indexed(let image, _)):
                XCTAssertEqual(expected.elementType, kind == .bilevel ? .bool : .uint8, name)
                XCTAssertEqual(image.channels, channels, name)
                XCTAssertEqual(image.pixels.count, expected.bytes.count, name)
                if kind == .bilevel {
                    // Pillow's mode "1" array stores True as byte 255 (NumPy keeps the raw byte);
                    // compare as booleans. Ours are exactly 0 or 1.
                    XCTAssertTrue(image.pixels.allSatisfy { $0 <= 1 }, name)
                    XCTAssertEqual(firstMismatch(image.pixels.map { $0 != 0 }, expected.bytes.map { $0 != 0 }), nil, name)
                } else {
                    XCTAssertEqual(firstMismatch(image.pixels, expected.bytes), nil, name)
                }
            case (.sixteenBit, .sixteenBit(let image)):
                XCTAssertEqual(expected.elementType, .uint16, name)
                XCTAssertEqual(image.channels, channels, name)
                let values = expected.values(as: UInt16.self)
                XCTAssertEqual(image.samples.count, values.count, name)
                XCTAssertEqual(firstMismatch(image.samples, values), nil, name)
            default:
                XCTFail("\(name): decoded as \(decoded), expected \(kind)")
            }
        }
    }

    func testPaletteToRGBMatchesPillowConvert() throws {
        for name in ["palette", "palette4bit_adam7"] {
            let decoded = try PNG.read(contentsOf: Fixtures.reference("io/png/\(name).png"))
            let expected = try Fixtures.npy("io/png/\(name)_rgb.npy")
            guard case .indexed(let indices, let palette) = decoded, let rgb = decoded.convertedToRGB() else {
                return XCTFail("\(name) is not a palette image")
            }
            XCTAssertEqual(palette.rgb(indices: indices), rgb)
            XCTAssertEqual(expected.shape, [rgb.height, rgb.width, 3], name)
            XCTAssertEqual(firstMismatch(rgb.pixels, expected.bytes), nil, name)
        }
    }

    func testConvertedToRGBOfOtherModes() throws {
        let rgb = try PNG.read(contentsOf: Fixtures.reference("io/png/rgb8.png"))
        XCTAssertEqual(rgb.convertedToRGB(), { if case .eightBit(let image) = rgb { return image }; return nil }())
        guard case .eightBit(let rgba) = try PNG.read(contentsOf: Fixtures.reference("io/png/rgba8.png")),
              let dropped = PNGImage.eightBit(rgba).convertedToRGB() else { return XCTFail("rgba8") }
        for index in 0..<(rgba.width * rgba.height) {
            XCTAssertEqual(Array(dropped.pixels[(3 * index)..<(3 * index + 3)]), Array(rgba.pixels[(4 * index)..<(4 * index + 3)]))
        }
        guard let bilevel = try PNG.read(contentsOf: Fixtures.reference("io/png/gray1bit.png")).convertedToRGB() else {
            return XCTFail("gray1bit")
        }
        XCTAssertTrue(bilevel.pixels.allSatisfy { $0 == 0 || $0 == 255 })
        let depth = try PNG.read(contentsOf: Fixtures.reference("io/png/depth16.png"))
        XCTAssertNil(depth.convertedToRGB())
        XCTAssertNil(depth.eightBitImage)
        XCTAssertEqual(depth.sixteenBitImage?.samples.count, 97 * 41)
        XCTAssertEqual(rgb.eightBitImage?.channels, 3)
        XCTAssertNil(rgb.sixteenBitImage)
    }

    /// Index of the first differing element with both values, or nil when equal.
    private func firstMismatch<T: Equatable>(_ actual: [T], _ expected: [T]) -> String? {
        guard actual.count == expected.count else { return "count \(actual.count) vs \(expected.count)" }
        for index in 0..<actual.count where actual[index] != expected[index] {
            return "index \(index): \(actual[index]) vs \(expected[index])"
        }
        return nil
    }
}
