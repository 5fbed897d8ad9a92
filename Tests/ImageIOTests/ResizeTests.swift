import ImageIO
import TestSupport
import XCTest

/// Pillow `Image.resize` parity: every sample of every `io/resize` fixture, bit-exact (tolerance 0;
/// the README allows a floor of 1, not needed).
final class ResizeTests: XCTestCase {
    private static let lanczosSizes = [(640, 192), (1024, 320), (192, 64), (320, 96), (160, 48), (80, 24)]
    private static let bilinearSizes = [(640, 192), (1024, 320), (160, 48)]

    func testLanczosMatchesPillowExactly() throws {
        let source = try ImageOpsFixtures.image("io/resize/source.npy")
        XCTAssertEqual([source.height, source.width, source.channels], [235, 638, 3])
        for (width, height) in Self.lanczosSizes {
            let expected = try ImageOpsFixtures.image("io/resize/lanczos_\(width)x\(height).npy")
            let actual = source.resized(width: width, height: height, filter: .lanczos)
            assertImagesEqual(actual, expected, "lanczos \(width)x\(height)")
        }
    }

    func testBilinearMatchesPillowExactly() throws {
        let source = try ImageOpsFixtures.image("io/resize/source.npy")
        for (width, height) in Self.bilinearSizes {
            let expected = try ImageOpsFixtures.image("io/resize/bilinear_\(width)x\(height).npy")
            let actual = source.resized(width: width, height: height, filter: .bilinear)
            assertImagesEqual(actual, expected, "bilinear \(width)x\(height)")
        }
    }
}
