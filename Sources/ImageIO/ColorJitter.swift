/// One torchvision colour adjustment on a PIL image (`torchvision.transforms.functional.adjust_*`),
/// with the factor as Python passes it (a double; Pillow narrows blend factors to a C `float`).
public enum ColorAdjustment: Sendable, Equatable {
    /// `adjust_brightness` = `ImageEnhance.Brightness(img).enhance(f)`: blend with black.
    case brightness(Double)
    /// `adjust_contrast` = `ImageEnhance.Contrast`: blend with grey at the rounded mean luma.
    case contrast(Double)
    /// `adjust_saturation` = `ImageEnhance.Color`: blend with the luma image.
    case saturation(Double)
    /// `adjust_hue`: shift the 8-bit HSV hue by `trunc(255 f) mod 256`; `f` in [-0.5, 0.5].
    case hue(Double)
}

/// torchvision's `ColorJitter` as monodepth2 uses it (spec §5.4): one parameter set per training item,
/// applied in a shuffled order to every frame and scale of that item.
public struct ColorJitter: Sendable, Equatable {
    /// The adjustments, in the order they are applied.
    public var adjustments: [ColorAdjustment]

    public init(_ adjustments: [ColorAdjustment]) {
        self.adjustments = adjustments
    }

    /// Draws factors like torchvision 0.2.1's `ColorJitter(brightness, contrast, saturation, hue)
    /// .get_params`: brightness, contrast and saturation from `U[max(0, 1 - x), 1 + x]`, hue from
    /// `U[-hue, hue]` (a zero range leaves that adjustment out), then shuffles their order.
    /// The defaults are monodepth2's (0.2, 0.2, 0.2, 0.1). The draws use `generator`, not Python's
    /// Mersenne Twister, so they do not reproduce a Python run.
    public static func random<G: RandomNumberGenerator>(
        brightness: Double = 0.2, contrast: Double = 0.2, saturation: Double = 0.2, hue: Double = 0.1,
        using generator: inout G
    ) -> ColorJitter {
        precondition(brightness >= 0 && contrast >= 0 && saturation >= 0 && (0...0.5).contains(hue),
                     "ColorJitter.random: ranges must be >= 0 and hue <= 0.5")
        var adjustments: [ColorAdjustment] = []
        if brightness > 0 {
            adjustments.append(.brightness(Double.random(in: max(0, 1 - brightness)...(1 + brightness), using: &generator)))
        }
        if contrast > 0 {
            adjustments.append(.contrast(Double.random(in: max(0, 1 - contrast)...(1 + contrast), using: &generator)))
        }
        if saturation > 0 {
            adjustments.append(.saturation(Double.random(in: max(0, 1 - saturation)...(1 + saturation), using: &generator)))
        }
        if hue > 0 {
            adjustments.append(.hue(Double.random(in: -hue...hue, using: &generator)))
        }
        adjustments.shuffle(using: &generator)
        return ColorJitter(adjustments)
    }

    // `apply(to:)`: ColorJitterFused.swift.
}

extension Image {
    /// Applies `adjustments` in order (see `ColorAdjustment`); exact with Pillow on RGB and grey images.
    public func applying(_ adjustments: [ColorAdjustment]) -> Image {
        var result = self
        for adjustment in adjustments {
            switch adjustment {
            case .brightness(let factor): result = result.adjustingBrightness(factor)
            case .contrast(let factor): result = result.adjustingContrast(factor)
            case .saturation(let factor): result = result.adjustingSaturation(factor)
            case .hue(let factor): result = result.adjustingHue(factor)
            }
        }
        return result
    }

    /// `ImageEnhance.Brightness(img).enhance(factor)`: `blend(black, img, factor)`.
    public func adjustingBrightness(_ factor: Double) -> Image {
        Self.requireJitterChannels(self, "brightness")
        return blended(factor) { _, _ in 0 }
    }

    /// `ImageEnhance.Contrast(img).enhance(factor)`: blend with a uniform grey
    /// `m = int(mean(L) + 0.5)`, the mean taken from the histogram of the luma image.
    public func adjustingContrast(_ factor: Double) -> Image {
        Self.requireJitterChannels(self, "contrast")
        let luma = pillowLumaSamples()
        var total = 0
        for value in luma { total += Int(value) }
        let mean = luma.isEmpty ? 0 : Double(total) / Double(luma.count)
        let grey = UInt8(clamping: Int(mean + 0.5))
        return blended(factor) { _, _ in grey }
    }

    /// `ImageEnhance.Color(img).enhance(factor)`: blend with the luma image replicated to RGB.
    public func adjustingSaturation(_ factor: Double) -> Image {
        Self.requireJitterChannels(self, "saturation")
        let luma = pillowLumaSamples()
        let channels = self.channels
        return luma.withUnsafeBufferPointer { luma in
            blended(factor) { sample, _ in luma[sample / channels] }
        }
    }

    /// torchvision `adjust_hue` on a PIL image: `img.convert("HSV")`, `H += np.uint8(factor * 255)` with
    /// 8-bit wrap-around (a negative shift wraps like NumPy 1's cast: -0.07 -> -17 -> 239), back to RGB.
    /// Grey images are returned unchanged, as torchvision does.
    ///
    /// - Precondition: `-0.5 <= factor <= 0.5` (torchvision raises otherwise).
    public func adjustingHue(_ factor: Double) -> Image {
        Self.requireJitterChannels(self, "hue")
        precondition((-0.5...0.5).contains(factor), "Image.adjustingHue: factor \(factor) is outside [-0.5, 0.5]")
        if channels == 1 { return self }
        let shift = UInt8(truncatingIfNeeded: Int(factor * 255))
        var output = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                var index = 0
                while index < source.count {
                    let hsv = PillowHSV.fromRGB(source[index], source[index + 1], source[index + 2])
                    let rgb = PillowHSV.toRGB(hsv.h &+ shift, hsv.s, hsv.v)
                    destination[index] = rgb.r
                    destination[index + 1] = rgb.g
                    destination[index + 2] = rgb.b
                    index += 3
                }
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: output)
    }

    /// Pillow's `L` conversion: `(R*19595 + G*38470 + B*7471 + 0x8000) >> 16` (the samples for grey).
    func pillowLumaSamples() -> [UInt8] {
        if channels == 1 { return pixels }
        let count = width * height
        var luma = [UInt8](repeating: 0, count: count)
        pixels.withUnsafeBufferPointer { rgb in
            luma.withUnsafeMutableBufferPointer { luma in
                for index in 0..<count {
                    let r = UInt32(rgb[3 * index]), g = UInt32(rgb[3 * index + 1]), b = UInt32(rgb[3 * index + 2])
                    luma[index] = UInt8(truncatingIfNeeded: (r &* 19595 &+ g &* 38470 &+ b &* 7471 &+ 0x8000) >> 16)
                }
            }
        }
        return luma
    }

    /// Pillow's `Image.blend(degenerate, self, alpha)` with `alpha` narrowed to a C float:
    /// `v = d + alpha * (x - d)` in float, clipped to [0, 255], truncated. `degenerate(sample, value)`
    /// gives the degenerate image's sample at that flat index.
    private func blended(_ factor: Double, degenerate: (Int, UInt8) -> UInt8) -> Image {
        let alpha = Float(factor)
        var output = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                for index in 0..<source.count {
                    let value = source[index]
                    let base = Float(degenerate(index, value))
                    let blended = base + alpha * (Float(value) - base)
                    // Clipped first, so the truncating conversion is always in range.
                    destination[index] = UInt8(min(max(blended, 0), 255))
                }
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: output)
    }

    private static func requireJitterChannels(_ image: Image, _ operation: String) {
        precondition(image.channels == 3 || image.channels == 1,
                     "Image colour \(operation): needs an RGB or grey image, got \(image.channels) channels")
    }
}

/// Pillow's 8-bit HSV conversions (`Convert.c`: `rgb2hsv_row`, `hsv2rgb`), with their mix of float
/// variables and double literals reproduced operation by operation (verified over all 2^24 inputs).
enum PillowHSV {
    @inline(__always)
    static func fromRGB(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> (h: UInt8, s: UInt8, v: UInt8) {
        let maxc = max(r, max(g, b)), minc = min(r, min(g, b))
        if maxc == minc { return (0, 0, maxc) }
        let cr = Float(Int(maxc) - Int(minc))
        let s: Float = cr / Float(maxc)
        let rc: Float = Float(Int(maxc) - Int(r)) / cr
        let gc: Float = Float(Int(maxc) - Int(g)) / cr
        let bc: Float = Float(Int(maxc) - Int(b)) / cr
        var h: Float
        if r == maxc {
            h = bc - gc
        } else if g == maxc {
            h = Float(2.0 + Double(rc) - Double(bc))
        } else {
            h = Float(4.0 + Double(gc) - Double(rc))
        }
        h = Float((Double(h) / 6.0 + 1.0).truncatingRemainder(dividingBy: 1.0))
        return (clip8(Int(Double(h) * 255.0)), clip8(Int(Double(s) * 255.0)), maxc)
    }

    @inline(__always)
    static func toRGB(_ h: UInt8, _ s: UInt8, _ v: UInt8) -> (r: UInt8, g: UInt8, b: UInt8) {
        if s == 0 { return (v, v, v) }
        let sector = Double(Float(h)) * 6.0 / 255.0
        let i = Int(sector.rounded(.down))
        let f = Float(sector - Double(Float(i)))
        let fs = Float(Double(Float(s)) / 255.0)
        let value = Double(Float(v))
        // C round(): half away from zero, Swift's default rounding rule.
        let p = clip8(Int((value * (1.0 - Double(fs))).rounded()))
        let q = clip8(Int((value * (1.0 - Double(fs * f))).rounded()))
        let t = clip8(Int((value * (1.0 - Double(fs) * (1.0 - Double(f)))).rounded()))
        switch i % 6 {
        case 0: return (v, t, p)
        case 1: return (q, v, p)
        case 2: return (p, v, t)
        case 3: return (p, q, v)
        case 4: return (t, p, v)
        default: return (v, p, q)
        }
    }

    @inline(__always)
    private static func clip8(_ value: Int) -> UInt8 {
        UInt8(clamping: value)
    }
}
