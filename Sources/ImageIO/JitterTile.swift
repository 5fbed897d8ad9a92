/// The colour jitter's inner loops: RGB pixels are split into three float planes a tile at a time,
/// every adjustment runs as a branch-free loop over the tile (the compiler vectorises these), and
/// the tile is written back. Samples stay integers in 0...255 between steps, so float planes are
/// exact, and so is the luma: its fixed-point sum stays below 2^24.
enum JitterTile {
    /// Pixels per tile: four planes of this many floats fit in L1.
    static let pixels = 512

    /// Applies `steps` (no contrast step after the first) to `count` RGB pixels in place, with
    /// `grey` the contrast grey; returns the luma sum of the result when `sumLuma`.
    static func run(_ steps: ArraySlice<JitterStep>, grey: Float, _ rgb: UnsafeMutablePointer<UInt8>,
                    count: Int, sumLuma: Bool) -> Int {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 4 * pixels) { scratch in
            guard let r = scratch.baseAddress else { return 0 }
            let g = r + pixels, b = g + pixels, luma = b + pixels
            var sum = 0
            var start = 0
            while start < count {
                let n = min(pixels, count - start)
                let tile = rgb + 3 * start
                load(tile, r, g, b, count: n)
                for step in steps {
                    switch step.kind {
                    case .brightness:
                        blend(r, toward: 0, step.alpha, count: n)
                        blend(g, toward: 0, step.alpha, count: n)
                        blend(b, toward: 0, step.alpha, count: n)
                    case .contrast:
                        blend(r, toward: grey, step.alpha, count: n)
                        blend(g, toward: grey, step.alpha, count: n)
                        blend(b, toward: grey, step.alpha, count: n)
                    case .saturation:
                        lumaPlane(r, g, b, luma, count: n)
                        blend(r, toward: luma, step.alpha, count: n)
                        blend(g, toward: luma, step.alpha, count: n)
                        blend(b, toward: luma, step.alpha, count: n)
                    case .hue:
                        PillowHSVTile.shiftHue(r, g, b, by: step.shift, count: n)
                    }
                }
                store(tile, r, g, b, count: n)
                if sumLuma {
                    lumaPlane(r, g, b, luma, count: n)
                    sum += total(luma, count: n)
                }
                start += n
            }
            return sum
        }
    }

    /// The luma sum of `count` RGB pixels (for a contrast step first in the chain).
    static func lumaSum(_ rgb: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 4 * pixels) { scratch in
            guard let r = scratch.baseAddress else { return 0 }
            let g = r + pixels, b = g + pixels, luma = b + pixels
            var sum = 0
            var start = 0
            while start < count {
                let n = min(pixels, count - start)
                load(rgb + 3 * start, r, g, b, count: n)
                lumaPlane(r, g, b, luma, count: n)
                sum += total(luma, count: n)
                start += n
            }
            return sum
        }
    }

    @inline(__always)
    private static func load(_ rgb: UnsafePointer<UInt8>, _ r: UnsafeMutablePointer<Float>,
                             _ g: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count {
            r[i] = Float(rgb[3 * i])
            g[i] = Float(rgb[3 * i + 1])
            b[i] = Float(rgb[3 * i + 2])
        }
    }

    /// Writes integer-valued samples in 0...255 back: adding 2^23 puts the value in the low mantissa
    /// bits, a conversion that cannot trap (unlike `UInt8(Float)`) and so vectorises.
    @inline(__always)
    private static func store(_ rgb: UnsafeMutablePointer<UInt8>, _ r: UnsafePointer<Float>,
                              _ g: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            rgb[3 * i] = UInt8(truncatingIfNeeded: (r[i] + 0x1p23).bitPattern)
            rgb[3 * i + 1] = UInt8(truncatingIfNeeded: (g[i] + 0x1p23).bitPattern)
            rgb[3 * i + 2] = UInt8(truncatingIfNeeded: (b[i] + 0x1p23).bitPattern)
        }
    }

    /// Pillow's blend with a uniform degenerate `d`: `d + alpha * (x - d)` in float, clipped, truncated.
    @inline(__always)
    private static func blend(_ plane: UnsafeMutablePointer<Float>, toward d: Float, _ alpha: Float, count: Int) {
        for i in 0..<count {
            let value = d + alpha * (plane[i] - d)
            plane[i] = min(max(value, 0), 255).rounded(.towardZero)
        }
    }

    /// The same with a per-pixel degenerate (the luma image, for saturation).
    @inline(__always)
    private static func blend(_ plane: UnsafeMutablePointer<Float>, toward degenerate: UnsafePointer<Float>,
                              _ alpha: Float, count: Int) {
        for i in 0..<count {
            let d = degenerate[i]
            let value = d + alpha * (plane[i] - d)
            plane[i] = min(max(value, 0), 255).rounded(.towardZero)
        }
    }

    /// Pillow's `L` conversion `(R*19595 + G*38470 + B*7471 + 0x8000) >> 16`; every partial sum is an
    /// integer below 2^24, so float is exact and the shift is a multiply by 2^-16 and a floor.
    @inline(__always)
    private static func lumaPlane(_ r: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                  _ luma: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count {
            luma[i] = ((r[i] * 19595 + g[i] * 38470 + b[i] * 7471 + 32768) * 0x1p-16).rounded(.down)
        }
    }

    /// The sum of `count` integer-valued samples in 0...255 (exact: each lane stays below 2^24).
    @inline(__always)
    private static func total(_ plane: UnsafePointer<Float>, count: Int) -> Int {
        var lanes = SIMD8<Float>()
        var i = 0
        let raw = UnsafeRawPointer(plane)
        while i + 8 <= count {
            lanes += raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            i += 8
        }
        var sum = 0
        for lane in 0..<8 { sum += Int(lanes[lane]) }
        while i < count {
            sum += Int(plane[i])
            i += 1
        }
        return sum
    }
}
