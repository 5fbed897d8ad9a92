import Foundation
import ImageIO
import KITTIData
import TestSupport
import XCTest

final class KITTIDataTests: XCTestCase {
    func testBatchIsToTensorAndFlipMirrors() {
        // 2x1 RGB image: left pixel (0, 51, 255), right pixel (255, 102, 0).
        let image = Image(width: 2, height: 1, channels: 3, pixels: [0, 51, 255, 255, 102, 0])
        let plain = ImageTensor.batch([image])
        XCTAssertEqual(plain.shape, [1, 3, 1, 2])
        XCTAssertEqual(plain.scalars(), [0, 1, Float(51) / 255, Float(102) / 255, 1, 0])
        let flipped = ImageTensor.batch([image], flipped: true)
        XCTAssertEqual(flipped.scalars(), [1, 0, Float(102) / 255, Float(51) / 255, 0, 1])
    }

    func testReadsTheDemoImageAsPillowDoes() throws {
        let image = try ImageTensor.readRGB(Fixtures.repositoryRoot.appendingPathComponent("assets/test_image.jpg"))
        XCTAssertEqual([image.width, image.height, image.channels], [638, 235, 3])
        let expected = try Fixtures.npy("io/jpeg/test_image.npy")  // np.asarray(PIL.Image.open(...))
        XCTAssertEqual(expected.shape, [235, 638, 3])
        XCTAssertEqual(image.pixels, expected.values(as: UInt8.self))
    }

    func testUnreadableFilesAreTypedErrorsNamingTheFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("md2-not-an-image-\(UUID().uuidString).jpg")
        try Data("hello".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertThrowsError(try ImageTensor.readRGB(url)) { error in
            XCTAssertTrue("\(error)".contains(url.path), "\(error)")
        }
        XCTAssertThrowsError(try ImageTensor.readRGB(URL(fileURLWithPath: "/nonexistent/x.jpg"))) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/x.jpg"), "\(error)")
        }
    }
}
