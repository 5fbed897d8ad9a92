import ArrayIO
import ImageIO
import TestSupport
import XCTest

/// Shared helpers of the resize / colour jitter / colormap tests.
enum ImageOpsFixtures {
    /// A uint8 HxW or HxWxC `.npy` under `../shared/reference` as an `Image`.
    static func image(_ relativePath: String, file: StaticString = #filePath, line: UInt = #line) throws -> Image {
        let array = try Fixtures.npy(relativePath)
        XCTAssertEqual(array.elementType, .uint8, relativePath, file: file, line: line)
        XCTAssert(array.shape.count == 2 || array.shape.count == 3, "\(relativePath): shape \(array.shape)",
                  file: file, line: line)
        let channels = array.shape.count == 3 ? array.shape[2] : 1
        return Image(width: array.shape[1], height: array.shape[0], channels: channels, pixels: array.bytes)
    }

    /// A float32 HxW `.npy` as a `FloatMap`.
    static func floatMap(_ relativePath: String, file: StaticString = #filePath, line: UInt = #line) throws -> FloatMap {
        let array = try Fixtures.npy(relativePath)
        XCTAssertEqual(array.elementType, .float32, relativePath, file: file, line: line)
        XCTAssertEqual(array.shape.count, 2, relativePath, file: file, line: line)
        return FloatMap(width: array.shape[1], height: array.shape[0], values: array.floatValues())
    }
}

/// Element-wise comparison of two 8-bit images: shapes first, then every sample.
/// Fails when any sample differs by more than `tolerance`; reports the count of differing samples.
func assertImagesEqual(_ actual: Image, _ expected: Image, tolerance: Int = 0, _ label: String,
                       file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.width, expected.width, "\(label): width", file: file, line: line)
    XCTAssertEqual(actual.height, expected.height, "\(label): height", file: file, line: line)
    XCTAssertEqual(actual.channels, expected.channels, "\(label): channels", file: file, line: line)
    guard actual.pixels.count == expected.pixels.count else {
        XCTFail("\(label): \(actual.pixels.count) samples vs \(expected.pixels.count)", file: file, line: line)
        return
    }
    var worst = 0, worstIndex = 0, differing = 0
    for index in 0..<expected.pixels.count {
        let difference = abs(Int(actual.pixels[index]) - Int(expected.pixels[index]))
        if difference > 0 { differing += 1 }
        if difference > worst { worst = difference; worstIndex = index }
    }
    XCTAssert(worst <= tolerance,
              "\(label): max abs difference \(worst) at sample \(worstIndex) (got \(actual.pixels[worstIndex]), "
              + "expected \(expected.pixels[worstIndex])); \(differing) samples differ", file: file, line: line)
}
