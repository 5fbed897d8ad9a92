/// torchvision's hue shift (`PillowHSV.fromRGB`, `H += shift`, `PillowHSV.toRGB`) over float planes
/// of integer samples, written without branches or trapping conversions so that it vectorises. Every
/// operation is the scalar version's, in the same precision and order; the branches become selects
/// (all arms are computed, and the arms a pixel does not take may divide by zero harmlessly).
enum PillowHSVTile {
    /// Shifts the hue of `count` pixels in place by `shift` (0...255, mod 256).
    @inline(__always)
    static func shiftHue(_ r: UnsafeMutablePointer<Float>, _ g: UnsafeMutablePointer<Float>,
                         _ b: UnsafeMutablePointer<Float>, by shift: Double, count: Int) {
        for i in 0..<count {
            let red = r[i], green = g[i], blue = b[i]
            // rgb2hsv_row.
            let maxc = max(red, max(green, blue)), minc = min(red, min(green, blue))
            let cr = maxc - minc
            let s = cr / maxc
            let rc = (maxc - red) / cr, gc = (maxc - green) / cr, bc = (maxc - blue) / cr
            let hueR = bc - gc
            let hueG = Float(2.0 + Double(rc) - Double(bc))
            let hueB = Float(4.0 + Double(gc) - Double(rc))
            let h = red == maxc ? hueR : (green == maxc ? hueG : hueB)
            // fmod(h / 6 + 1, 1) on a value in (0.8, 1.9): exact either way.
            let wrapped = Double(h) / 6.0 + 1.0
            let hf = Float(wrapped >= 1.0 ? wrapped - 1.0 : wrapped)
            let grey = maxc == minc
            let hue8 = grey ? 0 : clip8(Double(hf) * 255.0)
            let saturation8 = grey ? 0 : clip8(Double(s) * 255.0)
            // H + shift, 8-bit wrap-around.
            let shifted = hue8 + shift >= 256 ? hue8 + shift - 256 : hue8 + shift
            // hsv2rgb.
            let sector = shifted * 6.0 / 255.0
            let whole = sector.rounded(.down)
            let f = Float(sector - whole)
            let fs = Float(saturation8 / 255.0)
            let value = Double(maxc)
            // Each product lies in [0, value], so Pillow's clip8 never changes it.
            let p = roundHalfAway(value * (1.0 - Double(fs)))
            let q = roundHalfAway(value * (1.0 - Double(fs * f)))
            let t = roundHalfAway(value * (1.0 - Double(fs) * (1.0 - Double(f))))
            // i % 6: sector is 6 exactly only at H = 255, with f = 0.
            let k = whole == 6 ? 0 : whole
            // (s == 0 needs no case of its own: fs = 0 gives p = q = t = v.)
            let outR = k == 0 || k == 5 ? value : (k == 1 ? q : (k == 4 ? t : p))
            let outG = k == 1 || k == 2 ? value : (k == 0 ? t : (k == 3 ? q : p))
            let outB = k == 3 || k == 4 ? value : (k == 2 ? t : (k == 5 ? q : p))
            r[i] = Float(outR)
            g[i] = Float(outG)
            b[i] = Float(outB)
        }
    }

    /// `clip8((int)x)`: truncation toward zero, clamped to 0...255.
    @inline(__always)
    private static func clip8(_ x: Double) -> Double {
        min(max(x.rounded(.towardZero), 0), 255)
    }

    /// C `round` (half away from zero) for x >= 0, from operations that vectorise.
    @inline(__always)
    private static func roundHalfAway(_ x: Double) -> Double {
        let whole = x.rounded(.towardZero)
        return x - whole >= 0.5 ? whole + 1 : whole
    }
}
