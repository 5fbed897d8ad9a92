import ArrayIO
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

    /// Small Pillow cases bundled in `Tests/Fixtures/imageops` (made by `make_resize_cases.py` there):
    /// grey and RGB, both pass orders, single-axis, 1x1 and upsampling resizes, with noise pixels so
    /// the intermediate clipping matters. Bit-exact.
    func testBundledPillowCasesGreyAndRGBExactly() throws {
        let cases: [(ResampleFilter, String, [(Int, Int)])] = [
            (.lanczos, "lanczos", [(30, 20), (70, 20), (50, 10), (61, 20), (20, 47), (1, 1), (130, 90), (60, 23), (45, 10), (51, 27)]),
            (.bilinear, "bilinear", [(30, 20), (70, 20), (50, 10), (1, 5), (130, 90)]),
        ]
        for kind in ["rgb", "gray"] {
            let source = try bundledImage("\(kind)_61x47.npy")
            XCTAssertEqual([source.width, source.height, source.channels], [61, 47, kind == "rgb" ? 3 : 1])
            for (filter, name, sizes) in cases {
                for (width, height) in sizes {
                    let expected = try bundledImage("\(kind)_\(name)_\(width)x\(height).npy")
                    let actual = source.resized(width: width, height: height, filter: filter)
                    assertImagesEqual(actual, expected, "\(kind) \(name) \(width)x\(height)")
                }
            }
        }
    }

    /// One `ResampleCache` across many sizes, filters and both pass orders (tables reused, and the
    /// cache restarting when full): every result equal to Pillow's fixture or to the uncached resize.
    func testCachedTablesGiveTheSameResults() throws {
        let source = try ImageOpsFixtures.image("io/resize/source.npy")
        let cache = ResampleCache()
        for round in 0..<2 {
            for (width, height) in Self.lanczosSizes {
                let expected = try ImageOpsFixtures.image("io/resize/lanczos_\(width)x\(height).npy")
                let actual = source.resized(width: width, height: height, filter: .lanczos, cache: cache)
                assertImagesEqual(actual, expected, "cached lanczos \(width)x\(height), round \(round)")
            }
        }
        for size in 1...40 {
            for filter in ResampleFilter.allCases {
                let width = 7 * size, height = 2 + size % 9
                XCTAssertEqual(source.resized(width: width, height: height, filter: filter, cache: cache),
                               source.resized(width: width, height: height, filter: filter), "\(filter) \(width)x\(height)")
            }
        }
    }

    func testSameSizeReturnsTheImageUnchanged() throws {
        let source = try ImageOpsFixtures.image("io/resize/source.npy")
        XCTAssertEqual(source.resized(width: 638, height: 235, filter: .lanczos), source)
    }

    private func bundledImage(_ name: String) throws -> Image {
        let array = try NPY.read(contentsOf: Fixtures.bundled("imageops/\(name)"))
        XCTAssertEqual(array.elementType, .uint8, name)
        let channels = array.shape.count == 3 ? array.shape[2] : 1
        return Image(width: array.shape[1], height: array.shape[0], channels: channels, pixels: array.bytes)
    }
}
