extension ColorJitter {
    /// The jittered image (RGB or grey). RGB images go through all adjustments in one pass per
    /// contrast step (contrast needs the mean luma of the image as it is at that point), pixel by
    /// pixel in place, with exactly the arithmetic of the single-step functions (`Image.applying`).
    public func apply(to image: Image) -> Image {
        guard image.channels == 3, !adjustments.isEmpty else { return image.applying(adjustments) }
        var output = image
        let count = image.width * image.height
        output.pixels.withUnsafeMutableBufferPointer { pixels in
            let base = pixels.baseAddress!
            // Segments start at each contrast step; the pass before one sums the luma it needs.
            var starts = adjustments.indices.filter { index in
                if case .contrast = adjustments[index] { return true }
                return false
            }
            if starts.first != 0 { starts.insert(0, at: 0) }
            var grey: UInt8 = 0
            if case .contrast = adjustments[0] { grey = Self.meanGrey(Self.lumaSum(base, count: count), count: count) }
            for (number, start) in starts.enumerated() {
                let end = number + 1 < starts.count ? starts[number + 1] : adjustments.count
                let sum = Self.run(Array(adjustments[start..<end]), grey: grey, base, count: count,
                                   sumLuma: end < adjustments.count)
                grey = Self.meanGrey(sum, count: count)
            }
        }
        return output
    }

    /// ImageEnhance.Contrast's grey: `int(mean + 0.5)` of the luma histogram's mean.
    private static func meanGrey(_ sum: Int, count: Int) -> UInt8 {
        UInt8(clamping: Int((count == 0 ? 0 : Double(sum) / Double(count)) + 0.5))
    }

    @inline(__always)
    private static func luma(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        UInt8(truncatingIfNeeded: (UInt32(r) &* 19595 &+ UInt32(g) &* 38470 &+ UInt32(b) &* 7471 &+ 0x8000) >> 16)
    }

    /// Pillow's blend of one sample: `d + alpha * (x - d)` in float, clipped, truncated.
    @inline(__always)
    private static func blend(_ degenerate: UInt8, _ value: UInt8, _ alpha: Float) -> UInt8 {
        let d = Float(degenerate)
        return UInt8(min(max(d + alpha * (Float(value) - d), 0), 255))
    }

    private static func lumaSum(_ pixels: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        var sum = 0
        for i in 0..<count { sum += Int(luma(pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2])) }
        return sum
    }

    /// Applies `steps` to every pixel in place; returns the luma sum of the result when asked.
    private static func run(_ steps: [ColorAdjustment], grey: UInt8, _ pixels: UnsafeMutablePointer<UInt8>,
                            count: Int, sumLuma: Bool) -> Int {
        var sum = 0
        steps.withUnsafeBufferPointer { steps in
            for i in 0..<count {
                let p = pixels + 3 * i
                var r = p[0], g = p[1], b = p[2]
                for step in steps {
                    switch step {
                    case .brightness(let factor):
                        let alpha = Float(factor)
                        r = blend(0, r, alpha); g = blend(0, g, alpha); b = blend(0, b, alpha)
                    case .contrast(let factor):
                        let alpha = Float(factor)
                        r = blend(grey, r, alpha); g = blend(grey, g, alpha); b = blend(grey, b, alpha)
                    case .saturation(let factor):
                        let alpha = Float(factor), l = luma(r, g, b)
                        r = blend(l, r, alpha); g = blend(l, g, alpha); b = blend(l, b, alpha)
                    case .hue(let factor):
                        let hsv = PillowHSV.fromRGB(r, g, b)
                        (r, g, b) = PillowHSV.toRGB(hsv.h &+ UInt8(truncatingIfNeeded: Int(factor * 255)), hsv.s, hsv.v)
                    }
                }
                p[0] = r; p[1] = g; p[2] = b
                if sumLuma { sum += Int(luma(r, g, b)) }
            }
        }
        return sum
    }
}
