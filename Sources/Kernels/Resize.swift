// Resizing of NCHW planes: nearest-neighbour upsampling by an integer factor and bilinear
// interpolation with PyTorch's align_corners=False semantics (F.interpolate), forward and backward.

/// Nearest upsampling by integer `factor`: out[y, x] = in[y / factor, x / factor].
public func upsampleNearestForward(planes: Int, inHeight: Int, inWidth: Int, factor: Int,
                                   input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
    let oh = inHeight * factor, ow = inWidth * factor
    let ins = SendablePointer(UnsafeMutablePointer(mutating: input)), outs = SendablePointer(output)
    splitWork(planes, picoseconds: planes * oh * ow * 500) { p in
        let x = ins.pointer + p * inHeight * inWidth
        let y = outs.pointer + p * oh * ow
        for iy in 0..<inHeight {
            let src = x + iy * inWidth
            let row = y + iy * factor * ow
            if factor == 2 {
                for ix in 0..<inWidth { let v = src[ix]; row[2 * ix] = v; row[2 * ix + 1] = v }
            } else {
                for ox in 0..<ow { row[ox] = src[ox / factor] }
            }
            for r in 1..<factor { (row + r * ow).update(from: row, count: ow) }
        }
    }
}

/// gradInput (overwritten)[y, x] = Σ of gradOutput over the factor × factor block it fed.
public func upsampleNearestBackward(planes: Int, inHeight: Int, inWidth: Int, factor: Int,
                                    gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>) {
    let oh = inHeight * factor, ow = inWidth * factor
    let gos = SendablePointer(UnsafeMutablePointer(mutating: gradOutput)), gis = SendablePointer(gradInput)
    splitWork(planes, picoseconds: planes * oh * ow * 500) { p in
        let go = gos.pointer + p * oh * ow
        let d = gis.pointer + p * inHeight * inWidth
        for iy in 0..<inHeight {
            let dst = d + iy * inWidth
            dst.update(repeating: 0, count: inWidth)
            for r in 0..<factor {
                let row = go + (iy * factor + r) * ow
                for ox in 0..<ow { dst[ox / factor] += row[ox] }
            }
        }
    }
}

/// Source index and weights of one output coordinate, PyTorch `area_pixel_compute_source_index`
/// with align_corners=False: src = scale·(dst + 0.5) − 0.5, clamped at 0; scale = in/out.
@usableFromInline
struct LinearTap {
    var i0: Int32, i1: Int32, w0: Float, w1: Float
}

func linearTaps(inSize: Int, outSize: Int) -> [LinearTap] {
    let scale = Float(inSize) / Float(outSize)
    return (0..<outSize).map { o in
        var src = scale * (Float(o) + 0.5) - 0.5
        if src < 0 { src = 0 }
        let i0 = min(Int(src), inSize - 1)
        let lambda = min(max(src - Float(i0), 0), 1)
        let i1 = i0 < inSize - 1 ? i0 + 1 : i0
        return LinearTap(i0: Int32(i0), i1: Int32(i1), w0: 1 - lambda, w1: lambda)
    }
}

/// Bilinear resize (align_corners=False, no antialias) of each plane to outHeight × outWidth.
public func resizeBilinearForward(planes: Int, inHeight: Int, inWidth: Int, outHeight: Int, outWidth: Int,
                                  input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
    let ty = linearTaps(inSize: inHeight, outSize: outHeight), tx = linearTaps(inSize: inWidth, outSize: outWidth)
    let ins = SendablePointer(UnsafeMutablePointer(mutating: input)), outs = SendablePointer(output)
    ty.withUnsafeBufferPointer { typ in
        tx.withUnsafeBufferPointer { txp in
            let ys = SendablePointer(UnsafeMutablePointer(mutating: typ.baseAddress!))
            let xs = SendablePointer(UnsafeMutablePointer(mutating: txp.baseAddress!))
            splitWork(planes, picoseconds: planes * outHeight * outWidth * 2500) { p in
                let x = ins.pointer + p * inHeight * inWidth
                let y = outs.pointer + p * outHeight * outWidth
                for oy in 0..<outHeight {
                    let t = ys.pointer[oy]
                    let r0 = x + Int(t.i0) * inWidth, r1 = x + Int(t.i1) * inWidth
                    let row = y + oy * outWidth
                    for ox in 0..<outWidth {
                        let s = xs.pointer[ox]
                        let a = s.w0 * r0[Int(s.i0)] + s.w1 * r0[Int(s.i1)]
                        let b = s.w0 * r1[Int(s.i0)] + s.w1 * r1[Int(s.i1)]
                        row[ox] = t.w0 * a + t.w1 * b
                    }
                }
            }
        }
    }
}

/// gradInput (overwritten) of `resizeBilinearForward`.
public func resizeBilinearBackward(planes: Int, inHeight: Int, inWidth: Int, outHeight: Int, outWidth: Int,
                                   gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>) {
    let ty = linearTaps(inSize: inHeight, outSize: outHeight), tx = linearTaps(inSize: inWidth, outSize: outWidth)
    let gos = SendablePointer(UnsafeMutablePointer(mutating: gradOutput)), gis = SendablePointer(gradInput)
    ty.withUnsafeBufferPointer { typ in
        tx.withUnsafeBufferPointer { txp in
            let ys = SendablePointer(UnsafeMutablePointer(mutating: typ.baseAddress!))
            let xs = SendablePointer(UnsafeMutablePointer(mutating: txp.baseAddress!))
            splitWork(planes, picoseconds: planes * outHeight * outWidth * 2500) { p in
                let d = gis.pointer + p * inHeight * inWidth
                d.update(repeating: 0, count: inHeight * inWidth)
                let go = gos.pointer + p * outHeight * outWidth
                for oy in 0..<outHeight {
                    let t = ys.pointer[oy]
                    let r0 = d + Int(t.i0) * inWidth, r1 = d + Int(t.i1) * inWidth
                    let row = go + oy * outWidth
                    for ox in 0..<outWidth {
                        let s = xs.pointer[ox]
                        let g = row[ox]
                        let g0 = t.w0 * g, g1 = t.w1 * g
                        r0[Int(s.i0)] += s.w0 * g0; r0[Int(s.i1)] += s.w1 * g0
                        r1[Int(s.i0)] += s.w0 * g1; r1[Int(s.i1)] += s.w1 * g1
                    }
                }
            }
        }
    }
}
