// Reflection padding over NCHW planes (mirrors without repeating the edge: row −1 = row 1),
// forward and backward.

@inline(__always)
func reflect(_ i: Int, _ n: Int) -> Int {
    if i < 0 { return -i }
    if i >= n { return 2 * (n - 1) - i }
    return i
}

/// output plane (inHeight + top + bottom) × (inWidth + left + right) = reflection-padded input.
/// Every pad must be < the padded dimension (checked by the caller).
public func reflectionPad2dForward(planes: Int, inHeight: Int, inWidth: Int, top: Int, bottom: Int, left: Int, right: Int,
                                   input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
    let oh = inHeight + top + bottom, ow = inWidth + left + right
    let ins = SendablePointer(UnsafeMutablePointer(mutating: input)), outs = SendablePointer(output)
    splitWork(planes, picoseconds: planes * oh * ow * 500) { p in
        let x = ins.pointer + p * inHeight * inWidth
        let y = outs.pointer + p * oh * ow
        for oy in 0..<oh {
            let src = x + reflect(oy - top, inHeight) * inWidth
            let dst = y + oy * ow
            for ox in 0..<left { dst[ox] = src[reflect(ox - left, inWidth)] }
            (dst + left).update(from: src, count: inWidth)
            for ox in (left + inWidth)..<ow { dst[ox] = src[reflect(ox - left, inWidth)] }
        }
    }
}

/// gradInput (overwritten) = sum of gradOutput over every output position that reads each input.
public func reflectionPad2dBackward(planes: Int, inHeight: Int, inWidth: Int, top: Int, bottom: Int, left: Int, right: Int,
                                    gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>) {
    let oh = inHeight + top + bottom, ow = inWidth + left + right
    let gos = SendablePointer(UnsafeMutablePointer(mutating: gradOutput)), gis = SendablePointer(gradInput)
    splitWork(planes, picoseconds: planes * oh * ow * 500) { p in
        let d = gis.pointer + p * inHeight * inWidth
        d.update(repeating: 0, count: inHeight * inWidth)
        let go = gos.pointer + p * oh * ow
        for oy in 0..<oh {
            let dst = d + reflect(oy - top, inHeight) * inWidth
            let src = go + oy * ow
            for ox in 0..<left { dst[reflect(ox - left, inWidth)] += src[ox] }
            let mid = src + left
            for ix in 0..<inWidth { dst[ix] += mid[ix] }
            for ox in (left + inWidth)..<ow { dst[reflect(ox - left, inWidth)] += src[ox] }
        }
    }
}
