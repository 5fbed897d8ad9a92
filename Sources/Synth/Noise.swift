/// Procedural texture building blocks, evaluated analytically from world coordinates so that a
/// surface looks the same from every frame and both cameras (brightness constancy). Every pattern
/// takes the pixel footprint (metres covered by one pixel at the hit) and fades out detail finer
/// than it: the texture is pre-filtered instead of supersampled.
enum Noise {
    /// A well-mixed 32-bit hash of a lattice point.
    @inline(__always)
    static func hash(_ x: Int32, _ y: Int32, _ seed: UInt32) -> UInt32 {
        var h = seed &+ UInt32(bitPattern: x) &* 0x8DA6_B343
        h = (h ^ (h >> 15)) &* 0x2C1B_3C6D
        h = h &+ UInt32(bitPattern: y) &* 0xD816_3841
        h = (h ^ (h >> 12)) &* 0x297A_2D39
        h ^= h >> 15
        h = h &* 0x85EB_CA6B
        return h ^ (h >> 13)
    }

    /// The hash as a value in [0, 1).
    @inline(__always)
    static func unit(_ x: Int32, _ y: Int32, _ seed: UInt32) -> Float {
        Float(hash(x, y, seed) >> 8) * (1.0 / 16_777_216.0)
    }

    /// Smooth value noise in [0, 1] with unit lattice spacing.
    @inline(__always)
    static func value(_ x: Float, _ y: Float, _ seed: UInt32) -> Float {
        let fx = x.rounded(.down), fy = y.rounded(.down)
        let ix = Int32(fx), iy = Int32(fy)
        var tx = x - fx, ty = y - fy
        tx = tx * tx * (3 - 2 * tx)
        ty = ty * ty * (3 - 2 * ty)
        let a = unit(ix, iy, seed), b = unit(ix &+ 1, iy, seed)
        let c = unit(ix, iy &+ 1, seed), d = unit(ix &+ 1, iy &+ 1, seed)
        let top = a + (b - a) * tx, bottom = c + (d - c) * tx
        return top + (bottom - top) * ty
    }

    /// How much of a feature of size `wavelength` survives a pixel footprint: 1 when the feature
    /// spans 4 pixels or more, 0 at 2 pixels or fewer.
    @inline(__always)
    static func detail(_ wavelength: Float, footprint: Float) -> Float {
        min(max((wavelength - 2 * footprint) / (2 * footprint), 0), 1)
    }

    /// Fractal value noise centred on 0 (about -0.5...0.5): `octaves` octaves from `wavelength`
    /// down, halving each time, each faded by the footprint.
    @inline(__always)
    static func fractal(_ x: Float, _ y: Float, wavelength: Float, octaves: Int, footprint: Float, seed: UInt32) -> Float {
        var sum: Float = 0, amplitude: Float = 0.5, lambda = wavelength
        var s = seed
        for _ in 0..<octaves {
            let w = detail(lambda, footprint: footprint)
            if w <= 0 { break }
            sum += amplitude * w * (value(x / lambda, y / lambda, s) - 0.5) * 2
            amplitude *= 0.5
            lambda *= 0.5
            s = s &* 747_796_405 &+ 2_891_336_453
        }
        return sum * 0.5
    }

    /// The fraction of the interval [x - w/2, x + w/2] covered by the pulse train that is "on" for
    /// `duty` metres at the start of every `period` (the box-filtered square wave).
    @inline(__always)
    static func pulse(_ x: Float, period: Float, duty: Float, width: Float) -> Float {
        let w = max(width, 1e-4)
        if w >= period { return duty / period }
        // Shift into the first period so the integrals stay small numbers.
        let local = x - (x / period).rounded(.down) * period
        return (pulseIntegral(local + w * 0.5, period, duty) - pulseIntegral(local - w * 0.5, period, duty)) / w
    }

    @inline(__always)
    private static func pulseIntegral(_ t: Float, _ period: Float, _ duty: Float) -> Float {
        let n = (t / period).rounded(.down)
        return n * duty + min(t - n * period, duty)
    }

    /// The fraction of [x - w/2, x + w/2] inside [low, high] (a box-filtered band).
    @inline(__always)
    static func band(_ x: Float, _ low: Float, _ high: Float, width: Float) -> Float {
        let w = max(width, 1e-4)
        let overlap = min(x + w * 0.5, high) - max(x - w * 0.5, low)
        return min(max(overlap / w, 0), 1)
    }
}
