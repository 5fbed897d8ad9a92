import ImageIO
@testable import KITTIData
import XCTest

/// `ImageTensor.write`, the one ToTensor (`Float(v) / 255` into CHW planes) against the plain
/// per-element definition, on sizes whose pixel count is and is not a multiple of the 16-pixel blocks.
final class ImageWritingTests: XCTestCase {
    func testToTensorPlanesEqualTheDivisionForEveryByteAndSize() {
        for (width, height) in [(16, 1), (37, 5), (640, 3), (3, 2), (1, 1)] {
            let count = width * height * 3
            let pixels = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ $0 / 7) }
            let image = Image(width: width, height: height, channels: 3, pixels: pixels)
            let planes = UnsafeMutablePointer<Float>.allocate(capacity: count)
            defer { planes.deallocate() }
            ImageTensor.write(image, to: planes)
            let plane = width * height
            for i in 0..<plane {
                for c in 0..<3 {
                    XCTAssertEqual(planes[c * plane + i].bitPattern, (Float(pixels[3 * i + c]) / 255).bitPattern,
                                   "\(width)x\(height) pixel \(i) channel \(c)")
                }
            }
        }
        // Every byte value reaches the vector path.
        let all = Image(width: 256, height: 1, channels: 3, pixels: (0..<768).map { UInt8($0 / 3) })
        let planes = UnsafeMutablePointer<Float>.allocate(capacity: 768)
        defer { planes.deallocate() }
        ImageTensor.write(all, to: planes)
        for v in 0..<256 { XCTAssertEqual(planes[256 + v], Float(v) / 255, "value \(v)") }
    }
}
