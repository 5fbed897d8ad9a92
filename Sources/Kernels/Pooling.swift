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
/// (y·inWidth + x) of the FIRST maximum in row-major window order (a NaN counts as the maximum;
/// the last NaN wins, as torch's `(val > maxval) || isnan(val)` scan).
/// Separable: each window row's maximum (first in the row), then the first row holding the
/// overall maximum — the same element as the row-major scan.
public func maxPool2dForward(_ g: Pool2dGeometry, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                             indices: UnsafeMutablePointer<Int32>) {
    let oh = g.outHeight, ow = g.outWidth, width = g.inWidth, height = g.inHeight
    let k = g.kernel, s = g.stride, pad = g.padding
    let ins = SendablePointer(UnsafeMutablePointer(mutating: input)), outs = SendablePointer(output), ids = SendablePointer(indices)
    splitWork(g.planes, picoseconds: g.planes * oh * ow * k * k * 250) { p in
        let x = ins.pointer + p &* height &* width
        let rowMax = UnsafeMutablePointer<Float>.allocate(capacity: ow), rowIndex = UnsafeMutablePointer<Int32>.allocate(capacity: ow)
        defer { rowMax.deallocate(); rowIndex.deallocate() }
        for oy in 0..<oh {
            let y = outs.pointer + (p &* oh &+ oy) &* ow, idx = ids.pointer + (p &* oh &+ oy) &* ow
            let y0 = oy &* s &- pad
            let ys = max(y0, 0), ye = min(y0 &+ k, height)
            for ox in 0..<ow { y[ox] = -.infinity; idx[ox] = Int32(truncatingIfNeeded: ys &* width &+ max(ox &* s &- pad, 0)) }
            for iy in ys..<ye {
                let row = x + iy &* width
                // Tap by tap across all outputs: no loop-carried select (which LLVM would turn into
                // an unpredictable branch); taps in window order keep the FIRST maximum.
                for ox in 0..<ow { rowMax[ox] = -.infinity; rowIndex[ox] = Int32(truncatingIfNeeded: iy &* width &+ max(ox &* s &- pad, 0)) }
                for kx in 0..<k {
                    // Outputs whose tap kx lies inside the row: 0 ≤ ox·s − pad + kx < width.
                    let last = width &- 1 &+ pad &- kx   // ox·s ≤ last
                    let lo = max(0, (pad &- kx &+ s &- 1) / s), hi = last < 0 ? 0 : min(ow, last / s &+ 1)
                    if lo >= hi { continue }
                    // 8 outputs at a time with vector compares and blends (a scalar `a > b || isnan(a)`
                    // compiles to data-dependent branches, 3x slower on random data).
                    var ox = lo
                    while ox &+ 8 <= hi {
                        let base = ox &* s &- pad &+ kx
                        let r = row + base
                        let v = SIMD8<Float>(r[0], r[s], r[2 &* s], r[3 &* s], r[4 &* s], r[5 &* s], r[6 &* s], r[7 &* s])
                        let m = UnsafeRawPointer(rowMax + ox).loadUnaligned(as: SIMD8<Float>.self)
                        let take = (v .> m) .| (v .!= v)
                        UnsafeMutableRawPointer(rowMax + ox).storeBytes(of: m.replacing(with: v, where: take), as: SIMD8<Float>.self)
                        let index = UnsafeRawPointer(rowIndex + ox).loadUnaligned(as: SIMD8<Int32>.self)
                        let first = Int32(truncatingIfNeeded: iy &* width &+ base)
                        let candidate = SIMD8(repeating: first) &+ SIMD8(0, 1, 2, 3, 4, 5, 6, 7) &* Int32(truncatingIfNeeded: s)
                        // Bitwise blend (the generic Int32 `replacing(with:where:)` is a per-lane loop).
                        let bits = unsafeBitCast(take, to: SIMD8<Int32>.self)
                        let blended = index ^ ((index ^ candidate) & bits)
                        UnsafeMutableRawPointer(rowIndex + ox).storeBytes(of: blended, as: SIMD8<Int32>.self)
                        ox &+= 8
                    }
                    while ox < hi {
                        let ix = ox &* s &- pad &+ kx
                        let v = row[ix], m = rowMax[ox]
                        if v > m || v.isNaN {
                            rowMax[ox] = v
                            rowIndex[ox] = Int32(truncatingIfNeeded: iy &* width &+ ix)
                        }
                        ox &+= 1
                    }
                }
                // Explicit full-width blends: left to LLVM this becomes masked stores, which are
                // microcoded (and data-dependent) on AMD.
                var ox = 0
                while ox &+ 8 <= ow {
                    let v = UnsafeRawPointer(rowMax + ox).loadUnaligned(as: SIMD8<Float>.self)
                    let current = UnsafeRawPointer(y + ox).loadUnaligned(as: SIMD8<Float>.self)
                    let take = (v .> current) .| (v .!= v)
                    UnsafeMutableRawPointer(y + ox).storeBytes(of: current.replacing(with: v, where: take), as: SIMD8<Float>.self)
                    let bits = unsafeBitCast(take, to: SIMD8<Int32>.self)
                    let old = UnsafeRawPointer(idx + ox).loadUnaligned(as: SIMD8<Int32>.self)
                    let new = UnsafeRawPointer(rowIndex + ox).loadUnaligned(as: SIMD8<Int32>.self)
                    UnsafeMutableRawPointer(idx + ox).storeBytes(of: old ^ ((old ^ new) & bits), as: SIMD8<Int32>.self)
                    ox &+= 8
                }
                while ox < ow {
                    let v = rowMax[ox]
                    if v > y[ox] || v.isNaN { y[ox] = v; idx[ox] = rowIndex[ox] }
                    ox &+= 1
                }
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
