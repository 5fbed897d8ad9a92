import ImageIO
import Kernels
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

    /// Images spanning several tiles with partial last tiles, wide factor ranges (clipping at both
    /// ends), repeated contrast and hue steps, every hue shift range.
    func testFusedJitterEqualsTheChainOnLargeImagesAndWideFactors() {
        var generator = SplitMix64(seed: 7)
        for trial in 0..<40 {
            let width = 1 + Int(generator.next() % 1400), height = 1 + Int(generator.next() % 4)
            let pixels = (0..<(width * height * 3)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let image = Image(width: width, height: height, channels: 3, pixels: pixels)
            var jitter = ColorJitter.random(brightness: 0.9, contrast: 0.9, saturation: 0.9, hue: 0.5, using: &generator)
            if trial % 2 == 0 { jitter.adjustments.append(.contrast(Double.random(in: 0...3, using: &generator))) }
            if trial % 3 == 0 { jitter.adjustments.insert(.hue(Double.random(in: -0.5...0.5, using: &generator)), at: 1) }
            if trial % 5 == 0 { jitter.adjustments.insert(.brightness(Double.random(in: 0...4, using: &generator)), at: 0) }
            XCTAssertEqual(jitter.apply(to: image), image.applying(jitter.adjustments), "\(width)x\(height) \(jitter.adjustments)")
        }
    }

    /// Each single adjustment over all 2^24 colours: the vectorised hue conversion equals Pillow's
    /// scalar `rgb2hsv_row`/`hsv2rgb` everywhere (grey pixels, ties between channels, H = 255 ...).
    func testFusedSingleStepsEqualTheReferenceOverTheFullRGBCube() {
        var pixels = [UInt8]()
        pixels.reserveCapacity(3 << 24)
        for r in 0..<256 { for g in 0..<256 { for b in 0..<256 {
            pixels.append(UInt8(r)); pixels.append(UInt8(g)); pixels.append(UInt8(b))
        } } }
        let cube = Image(width: 1 << 12, height: 1 << 12, channels: 3, pixels: pixels)
        let adjustments: [ColorAdjustment] = [
            .hue(0.05), .hue(-0.07), .hue(0.5), .hue(-0.5), .hue(0.0031),
            .brightness(1.15), .contrast(0.83), .saturation(1.2), .saturation(0.8),
        ]
        for adjustment in adjustments {
            XCTAssert(ColorJitter([adjustment]).apply(to: cube) == cube.applying([adjustment]), "\(adjustment)")
        }
    }

    /// Every hue shift torchvision can make (trunc(255 f) for f in [-0.5, 0.5]: -127...127) on every
    /// 5th level per channel.
    func testFusedHueEqualsTheReferenceForEveryShift() {
        let levels = Array(stride(from: 0, through: 255, by: 5)).map(UInt8.init)
        var pixels = [UInt8]()
        for r in levels { for g in levels { for b in levels { pixels.append(r); pixels.append(g); pixels.append(b) } } }
        let image = Image(width: pixels.count / 3, height: 1, channels: 3, pixels: pixels)
        for shift in -127...127 {
            let factor = (Double(shift) + (shift < 0 ? -0.5 : 0.5)) / 255
            XCTAssert(ColorJitter([.hue(factor)]).apply(to: image) == image.applying([.hue(factor)]), "hue \(factor)")
        }
    }
}
