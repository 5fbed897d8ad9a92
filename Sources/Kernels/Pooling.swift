// 2-D max and average pooling over NCHW planes, forward and backward.

/// Geometry of a square-window pooling over `planes` = N·C planes of inHeight × inWidth.
public struct Pool2dGeometry: Sendable, Equatable {
    public var planes, inHeight, inWidth, kernel, stride, padding: Int
    public init(planes: Int, inHeight: Int, inWidth: Int, kernel: Int, stride: Int, padding: Int) {
        self.planes = planes; self.inHeight = inHeight; self.inWidth = inWidth
        self.kernel = kernel; self.stride = stride; self.padding = padding
    }
    public var outHeight: Int { (inHeight + 2 * padding - kernel) / stride + 1 }
    public var outWidth: Int { (inWidth + 2 * padding - kernel) / stride + 1 }
}

/// Max pooling with −inf padding. `indices` receives, per output, the flat in-plane index
/// (y·inWidth + x) of the FIRST maximum in row-major window order (NaN counts as the maximum).
public func maxPool2dForward(_ g: Pool2dGeometry, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                             indices: UnsafeMutablePointer<Int32>) {
    let oh = g.outHeight, ow = g.outWidth
    let ins = SendablePointer(UnsafeMutablePointer(mutating: input)), outs = SendablePointer(output), ids = SendablePointer(indices)
    splitWork(g.planes, picoseconds: g.planes * oh * ow * g.kernel * g.kernel * 250) { p in
        let x = ins.pointer + p * g.inHeight * g.inWidth
        let y = outs.pointer + p * oh * ow, idx = ids.pointer + p * oh * ow
        for oy in 0..<oh {
            let y0 = oy * g.stride - g.padding
            let ys = max(y0, 0), ye = min(y0 + g.kernel, g.inHeight)
            for ox in 0..<ow {
                let x0 = ox * g.stride - g.padding
                let xs = max(x0, 0), xe = min(x0 + g.kernel, g.inWidth)
                var best = -Float.infinity
                var bestIndex = ys * g.inWidth + xs
                for iy in ys..<ye {
                    for ix in xs..<xe {
                        let v = x[iy * g.inWidth + ix]
                        if v > best || v.isNaN { best = v; bestIndex = iy * g.inWidth + ix; if v.isNaN { break } }
                    }
                    if best.isNaN { break }
                }
                y[oy * ow + ox] = best
                idx[oy * ow + ox] = Int32(bestIndex)
            }
        }
    }
}

/// gradInput (overwritten) = scatter-add of gradOutput at the recorded indices.
public func maxPool2dBackward(_ g: Pool2dGeometry, gradOutput: UnsafePointer<Float>, indices: UnsafePointer<Int32>,
                              gradInput: UnsafeMutablePointer<Float>) {
    let oh = g.outHeight, ow = g.outWidth, plane = g.inHeight * g.inWidth
    let gos = SendablePointer(UnsafeMutablePointer(mutating: gradOutput)), ids = SendablePointer(UnsafeMutablePointer(mutating: indices))
    let gis = SendablePointer(gradInput)
    splitWork(g.planes, picoseconds: g.planes * (plane + oh * ow) * 300) { p in
        let d = gis.pointer + p * plane
        d.update(repeating: 0, count: plane)
        let go = gos.pointer + p * oh * ow, idx = ids.pointer + p * oh * ow
        for i in 0..<(oh * ow) { d[Int(idx[i])] += go[i] }
    }
}

/// Average pooling without padding (every window lies inside the plane): mean of kernel² values.
public func avgPool2dForward(_ g: Pool2dGeometry, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
    precondition(g.padding == 0, "avgPool2dForward: padding \(g.padding) not supported")
    let oh = g.outHeight, ow = g.outWidth, k = g.kernel
    let divisor = Float(k * k)
    let ins = SendablePointer(UnsafeMutablePointer(mutating: input)), outs = SendablePointer(output)
    splitWork(g.planes, picoseconds: g.planes * oh * ow * k * k * 60) { p in
        let x = ins.pointer + p * g.inHeight * g.inWidth
        let y = outs.pointer + p * oh * ow
        for oy in 0..<oh {
            let row = y + oy * ow
            row.update(repeating: 0, count: ow)
            for ky in 0..<k {
                let src = x + (oy * g.stride + ky) * g.inWidth
                for kx in 0..<k {
                    if g.stride == 1 {
                        let s = src + kx
                        for ox in 0..<ow { row[ox] += s[ox] }
                    } else {
                        for ox in 0..<ow { row[ox] += src[ox * g.stride + kx] }
                    }
                }
            }
            for ox in 0..<ow { row[ox] /= divisor }
        }
    }
}

/// gradInput (overwritten) of average pooling without padding.
public func avgPool2dBackward(_ g: Pool2dGeometry, gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>) {
    precondition(g.padding == 0, "avgPool2dBackward: padding \(g.padding) not supported")
    let oh = g.outHeight, ow = g.outWidth, k = g.kernel, plane = g.inHeight * g.inWidth
    let divisor = Float(k * k)
    let gos = SendablePointer(UnsafeMutablePointer(mutating: gradOutput)), gis = SendablePointer(gradInput)
    splitWork(g.planes, picoseconds: g.planes * oh * ow * k * k * 60) { p in
        let d = gis.pointer + p * plane
        d.update(repeating: 0, count: plane)
        let go = gos.pointer + p * oh * ow
        let scaled = UnsafeMutablePointer<Float>.allocate(capacity: max(ow, 1))
        defer { scaled.deallocate() }
        for oy in 0..<oh {
            for ox in 0..<ow { scaled[ox] = go[oy * ow + ox] / divisor }
            for ky in 0..<k {
                let dst = d + (oy * g.stride + ky) * g.inWidth
                for kx in 0..<k {
                    if g.stride == 1 {
                        let t = dst + kx
                        for ox in 0..<ow { t[ox] += scaled[ox] }
                    } else {
                        for ox in 0..<ow { dst[ox * g.stride + kx] += scaled[ox] }
                    }
                }
            }
        }
    }
}
