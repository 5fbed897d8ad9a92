import ArrayIO
import Foundation
import ImageIO
import TestSupport
import XCTest

/// Parity with Pillow 13 / libjpeg-turbo 3.2 (`np.asarray(PIL.Image.open(f))`, io/jpeg/*.npy; see
/// reference/README-io.md). Every fixture must match exactly: max abs difference 0.
final class JPEGDecodeTests: XCTestCase {
    static let fixtures = ["test_image", "q92_420", "q75_444", "q85_422", "gray_q90", "progressive_420",
                           "restart_420", "odd_37x23", "q90_440"]

    /// Small files made by Tests/Fixtures/jpeg/make_small_jpeg.py (Pillow / OpenCV writers; expected
    /// arrays are Pillow's decode): tiny 4:2:0 sizes without fancy upsampling, 4:1:1 (replication by
    /// 4), 4:4:0, progressive grey, progressive with restarts, optimized Huffman tables, DRI 1.
    static let smallFixtures = ["s420_1x1", "s420_2x3", "s420_3x5", "s420_5x2", "s420_33x17", "s422_33x17",
                                "s444_33x17", "grey_progressive_13x9", "progressive_optimized_41x23",
                                "restart_every_mcu_33x17", "optimized_huffman_33x17", "s411_37x11", "s440_19x21",
                                "progressive_restart_29x19"]

    /// Decodes `name.jpg` and compares every sample with `name.npy`; returns the max abs difference.
    func maxDifference(_ name: String, bundled: Bool = false) throws -> Int {
        let url = bundled ? Fixtures.bundled("jpeg/\(name).jpg") : try Fixtures.reference("io/jpeg/\(name).jpg")
        let image = try JPEG.read(contentsOf: url)
        let expected = bundled ? try NPY.read(contentsOf: Fixtures.bundled("jpeg/\(name).npy"))
                               : try Fixtures.npy("io/jpeg/\(name).npy")
        XCTAssertEqual(expected.elementType, .uint8, name)
        let shape = image.channels == 1 ? [image.height, image.width] : [image.height, image.width, image.channels]
        XCTAssertEqual(shape, expected.shape, name)
        XCTAssertEqual(image.pixels.count, expected.bytes.count, name)
        guard image.pixels.count == expected.bytes.count else { return Int.max }
        var worst = 0, worstIndex = 0, mismatches = 0
        for i in 0..<image.pixels.count {
            let d = abs(Int(image.pixels[i]) - Int(expected.bytes[i]))
            if d > 0 { mismatches += 1 }
            if d > worst { worst = d; worstIndex = i }
        }
        if worst > 0 {
            let c = image.channels, pixel = worstIndex / c
            print("\(name): \(mismatches) samples differ, worst \(worst) at row \(pixel / image.width) column \(pixel % image.width) channel \(worstIndex % c): got \(image.pixels[worstIndex]), expected \(expected.bytes[worstIndex])")
        }
        return worst
    }

    func testEveryFixtureMatchesPillowExactly() throws {
        for name in Self.fixtures {
            let difference = try maxDifference(name)
            XCTAssertEqual(difference, 0, "\(name).jpg differs from Pillow's decode")
        }
    }

    func testSmallFixturesMatchPillowExactly() throws {
        for name in Self.smallFixtures {
            let difference = try maxDifference(name, bundled: true)
            XCTAssertEqual(difference, 0, "\(name).jpg differs from Pillow's decode")
        }
    }

    func testDimensionsReadsOnlyTheHeader() throws {
        let bytes = try [UInt8](Data(contentsOf: Fixtures.reference("io/jpeg/odd_37x23.jpg")))
        let info = try JPEG.dimensions(bytes, file: "odd_37x23.jpg")
        XCTAssertEqual(info.width, 37)
        XCTAssertEqual(info.height, 23)
        XCTAssertEqual(info.channels, 3)
        XCTAssertFalse(info.progressive)
        // Cut right after the SOF segment: the header is still readable, the image is not.
        let sof = try XCTUnwrap((0..<(bytes.count - 1)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        let cut = Array(bytes[0..<(sof + 2 + (Int(bytes[sof + 2]) << 8 | Int(bytes[sof + 3])))])
        XCTAssertEqual(try JPEG.dimensions(cut, file: "cut.jpg").width, 37)
        XCTAssertThrowsError(try JPEG.decode(cut, file: "cut.jpg"))
        let gray = try JPEG.dimensions(contentsOf: Fixtures.reference("io/jpeg/gray_q90.jpg"))
        XCTAssertEqual(gray.channels, 1)
        let progressive = try Fixtures.reference("io/jpeg/progressive_420.jpg")
        XCTAssertTrue(try JPEG.dimensions(contentsOf: progressive).progressive)
    }
}
