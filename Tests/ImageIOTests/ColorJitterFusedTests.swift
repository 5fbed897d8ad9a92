import ImageIO
import TestSupport
import XCTest

/// The one-pass jitter (`ColorJitter.apply`) against the step-by-step functions checked against
/// Pillow (`Image.applying`): identical for every order, including contrast first and last.
final class ColorJitterFusedTests: XCTestCase {
    func testFusedJitterEqualsTheStepByStepChain() {
        var generator = SplitMix64(seed: 42)
        for trial in 0..<60 {
            let width = 1 + Int(generator.next() % 37), height = 1 + Int(generator.next() % 11)
            let pixels = (0..<(width * height * 3)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let image = Image(width: width, height: height, channels: 3, pixels: pixels)
            var jitter = ColorJitter.random(using: &generator)
            if trial % 3 == 1 { jitter.adjustments.removeLast(trial % 4) }   // partial chains too
            XCTAssertEqual(jitter.apply(to: image), image.applying(jitter.adjustments), "\(jitter.adjustments)")
        }
        let grey = Image(width: 3, height: 1, channels: 1, pixels: [0, 100, 255])
        let jitter = ColorJitter([.contrast(1.2), .brightness(0.9)])
        XCTAssertEqual(jitter.apply(to: grey), grey.applying(jitter.adjustments))
    }
}
