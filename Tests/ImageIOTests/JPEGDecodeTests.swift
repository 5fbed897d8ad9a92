import Foundation
import ImageIO
import TestSupport
import XCTest

/// Parity with Pillow 13 / libjpeg-turbo 3.2 (`np.asarray(PIL.Image.open(f))`, io/jpeg/*.npy; see
/// reference/README-io.md). Every fixture must match exactly: max abs difference 0.
final class JPEGDecodeTests: XCTestCase {
    static let fixtures = ["test_image", "q92_420", "q75_444", "q85_422", "gray_q90", "progressive_420",
                           "restart_420", "odd_37x23", "q90_440"]

    /// Decodes `name.jpg` and compares every sample with `name.npy`; returns the max abs difference.
    func maxDifference(_ name: String) throws -> Int {
        let url = Fixtures.reference("io/jpeg/\(name).jpg")
        let image = try JPEG.read(contentsOf: url)
        let expected = try Fixtures.npy("io/jpeg/\(name).npy")
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
            XCTAssertEqual(try maxDifference(name), 0, "\(name).jpg differs from Pillow's decode")
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
        XCTAssertTrue(try JPEG.dimensions(contentsOf: Fixtures.reference("io/jpeg/progressive_420.jpg")).progressive)
    }
}
