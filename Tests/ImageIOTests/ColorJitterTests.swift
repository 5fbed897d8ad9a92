import Foundation
import ImageIO
import Kernels
import TestSupport
import XCTest

/// torchvision colour jitter on PIL images: every sample of every `augment/` fixture, exact (the README
/// requires exact equality), plus digests of Pillow 13's output over an RGB cube.
final class ColorJitterTests: XCTestCase {
    private func input() throws -> Image {
        let image = try ImageOpsFixtures.image("augment/input.npy")
        XCTAssertEqual([image.height, image.width, image.channels], [48, 160, 3])
        return image
    }

    func testBrightnessExact() throws {
        let expected = try ImageOpsFixtures.image("augment/brightness_1.15.npy")
        assertImagesEqual(try input().adjustingBrightness(1.15), expected, "brightness 1.15")
    }

    func testContrastExact() throws {
        let expected = try ImageOpsFixtures.image("augment/contrast_0.85.npy")
        assertImagesEqual(try input().adjustingContrast(0.85), expected, "contrast 0.85")
    }

    func testSaturationExact() throws {
        let expected = try ImageOpsFixtures.image("augment/saturation_1.1.npy")
        assertImagesEqual(try input().adjustingSaturation(1.1), expected, "saturation 1.1")
    }

    func testHueExact() throws {
        for factor in ["0.05", "-0.07"] {
            let expected = try ImageOpsFixtures.image("augment/hue_\(factor).npy")
            assertImagesEqual(try input().adjustingHue(Double(factor)!), expected, "hue \(factor)")
        }
    }

    func testChainInGivenOrderExact() throws {
        let expected = try ImageOpsFixtures.image("augment/chain_contrast_hue_brightness_saturation.npy")
        let jitter = ColorJitter([.contrast(0.85), .hue(-0.07), .brightness(1.15), .saturation(1.1)])
        assertImagesEqual(jitter.apply(to: try input()), expected, "chain")
        // The order matters: the reverse order gives a different image.
        let reversed = ColorJitter(jitter.adjustments.reversed())
        XCTAssertNotEqual(reversed.apply(to: try input()), expected)
    }

    /// Every 3rd level per channel (86^3 = 636,056 colours, r outer, b inner), run through Pillow 13:
    /// `Image.convert("HSV")`, `H += int(f*255) % 256`, `convert("RGB")` and `ImageEnhance`. Digest =
    /// sum over the flat output bytes of (2i + 1) * byte (no overflow at this size).
    func testRGBCubeDigestsMatchPillow() {
        let cube = Self.cube(step: 3)
        XCTAssertEqual(Self.digest(cube), 517_036_843_498_500)
        let cases: [(ColorAdjustment, UInt64)] = [
            (.hue(0.05), 515_457_979_878_582), (.hue(-0.07), 513_300_840_971_229),
            (.hue(0.5), 506_571_370_477_394), (.hue(-0.5), 506_469_160_695_585),
            (.brightness(1.15), 580_357_861_881_996), (.saturation(1.1), 515_683_071_548_772),
            (.saturation(0.85), 514_569_493_888_195), (.contrast(1.2), 523_308_896_306_100),
        ]
        for (adjustment, expected) in cases {
            XCTAssertEqual(Self.digest(cube.applying([adjustment])), expected, "\(adjustment)")
        }
    }

    /// The same over all 2^24 colours (Pillow digests); opt-in with MD2_LONG_TESTS=1.
    func testFullRGBCubeDigestsMatchPillow() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["MD2_LONG_TESTS"] == "1", "set MD2_LONG_TESTS=1")
        let cube = Self.cube(step: 1)
        XCTAssertEqual(Self.digest(cube), 359_162_068_126_924_800)
        let cases: [(ColorAdjustment, UInt64)] = [
            (.hue(0.05), 358_127_420_028_378_907), (.hue(-0.07), 356_663_697_067_269_324),
            (.hue(0.5), 352_027_719_837_718_593), (.hue(-0.5), 351_977_860_424_563_134),
            (.brightness(1.15), 403_581_225_233_940_480), (.saturation(1.1), 358_270_445_696_303_709),
            (.saturation(0.85), 357_418_055_702_361_469), (.contrast(1.2), 363_536_752_923_574_272),
        ]
        for (adjustment, expected) in cases {
            XCTAssertEqual(Self.digest(cube.applying([adjustment])), expected, "\(adjustment)")
        }
    }

    func testGreyImages() {
        let grey = Image(width: 4, height: 1, channels: 1, pixels: [0, 100, 200, 255])
        // Hue leaves grey images alone (torchvision returns them unchanged); saturation blends with itself.
        XCTAssertEqual(grey.adjustingHue(0.3), grey)
        XCTAssertEqual(grey.adjustingSaturation(1.2), grey)
        // Expected values printed by Pillow 13 (ImageEnhance on an "L" image of these four samples).
        XCTAssertEqual(grey.adjustingBrightness(1.15).pixels, [0, 115, 230, 255])
        XCTAssertEqual(grey.adjustingContrast(0.5).pixels, [69, 119, 169, 197])
    }

    func testRandomJitterDrawsInRangeAndShuffles() {
        var generator = SplitMix64(seed: 42)
        var orders = Set<String>()
        for _ in 0..<50 {
            let jitter = ColorJitter.random(using: &generator)
            XCTAssertEqual(jitter.adjustments.count, 4)
            var kinds: [String] = []
            for adjustment in jitter.adjustments {
                switch adjustment {
                case .brightness(let f), .contrast(let f), .saturation(let f):
                    XCTAssert((0.8...1.2).contains(f), "\(adjustment)")
                    kinds.append("\(adjustment)".prefix(3).description)
                case .hue(let f):
                    XCTAssert((-0.1...0.1).contains(f), "\(adjustment)")
                    kinds.append("hue")
                }
            }
            XCTAssertEqual(Set(kinds).count, 4)
            orders.insert(kinds.joined(separator: ","))
        }
        XCTAssertGreaterThan(orders.count, 5, "orders are shuffled")
    }

    static func cube(step: Int) -> Image {
        let levels = Array(stride(from: 0, through: 255, by: step)).map(UInt8.init)
        var pixels: [UInt8] = []
        pixels.reserveCapacity(levels.count * levels.count * levels.count * 3)
        for r in levels { for g in levels { for b in levels { pixels += [r, g, b] } } }
        return Image(width: pixels.count / 3, height: 1, channels: 3, pixels: pixels)
    }

    static func digest(_ image: Image) -> UInt64 {
        var sum: UInt64 = 0
        for (index, value) in image.pixels.enumerated() {
            sum &+= (2 * UInt64(index) + 1) &* UInt64(value)
        }
        return sum
    }
}

