import Foundation
import ImageIO
import Kernels
import TestSupport
import XCTest

/// The encoder's files decode back to the same samples (Pillow reads them too: checked once by
/// script, see the deflate-png report), filters are chosen per row, and writes are atomic.
final class PNGEncodeTests: XCTestCase {
    func testRoundTripEightBitEveryChannelCount() throws {
        var rng = SplitMix64(seed: 11)
        for channels in 1...4 {
            for (width, height) in [(1, 1), (3, 2), (17, 9), (64, 5)] {
                let pixels = (0..<(width * height * channels)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                let image = Image(width: width, height: height, channels: channels, pixels: pixels)
                for level in [0, 1, 6, 9] {
                    let decoded = try PNG.decode(try PNG.encode(image, level: level))
                    XCTAssertEqual(decoded, .eightBit(image), "\(width)x\(height)x\(channels) level \(level)")
                }
            }
        }
    }

    func testRoundTripSixteenBit() throws {
        var rng = SplitMix64(seed: 12)
        for channels in 1...4 {
            let (width, height) = (23, 7)
            let samples = (0..<(width * height * channels)).map { _ in UInt16(truncatingIfNeeded: rng.next()) }
            let image = Image16(width: width, height: height, channels: channels, samples: samples)
            XCTAssertEqual(try PNG.decode(try PNG.encode(image)), .sixteenBit(image), "channels \(channels)")
        }
    }

    func testReencodingFixturesPreservesThem() throws {
        for name in ["rgb8", "rgba8", "gray8", "graya8", "rgb8_adam7", "depth16", "gray16_adam7"] {
            let original = try PNG.read(contentsOf: Fixtures.reference("io/png/\(name).png"))
            let encoded: [UInt8]
            switch original {
            case .eightBit(let image): encoded = try PNG.encode(image)
            case .sixteenBit(let image): encoded = try PNG.encode(image)
            default: return XCTFail("\(name): unexpected kind")
            }
            XCTAssertEqual(try PNG.decode(encoded), original, name)
        }
    }

    func testCompressesSmoothImagesWell() throws {
        // A smooth gradient: Sub/Up/Paeth make the rows nearly constant, so the file is tiny
        // compared with the 3 x 256 x 128 = 98304 raw bytes.
        var pixels = [UInt8]()
        for y in 0..<128 { for x in 0..<256 { pixels += [UInt8(x), UInt8((x + y) & 255), UInt8(y * 2)] } }
        let image = Image(width: 256, height: 128, channels: 3, pixels: pixels)
        let encoded = try PNG.encode(image)
        XCTAssertLessThan(encoded.count, 3000)
        // Only filter type 0 would leave the x ramp in every row: level 0 (stored) stays raw-sized.
        XCTAssertGreaterThan(try PNG.encode(image, level: 0).count, 98304)
        XCTAssertEqual(try PNG.decode(encoded), .eightBit(image))
    }

    func testAtomicWriteAndRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("png-write-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("depth.png")
        let image = Image16(width: 5, height: 3, channels: 1, samples: (0..<15).map { UInt16($0 * 1000) })
        try PNG.write(image, to: url)
        try PNG.write(image, to: url)  // replaces the existing file
        XCTAssertEqual(try PNG.read(contentsOf: url), .sixteenBit(image))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["depth.png"])  // no temporary left
        let missing = folder.appendingPathComponent("no/such/folder/x.png")
        XCTAssertThrowsError(try PNG.write(Image(width: 1, height: 1, channels: 3), to: missing)) { error in
            XCTAssertTrue("\(error)".contains(missing.path), "\(error)")
        }
    }

    func testRejectsUnwritableShapes() {
        XCTAssertThrowsError(try PNG.encode(Image(width: 2, height: 2, channels: 5)))
        XCTAssertThrowsError(try PNG.encode(Image(width: 0, height: 2, channels: 3)))
    }
}
