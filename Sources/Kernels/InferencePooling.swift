// Max pooling without indices, for inference (networks engineer's file): separable (window maximum
// down each column, then along the row), no per-output index bookkeeping. Same values as
// `maxPool2dForward` (−inf padding, NaN propagates).

@inline(__always)
private func nanMax(_ a: Float, _ b: Float) -> Float { b > a || b.isNaN ? b : a }

@inline(__always)
private func nanMax(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
    a.replacing(with: b, where: (b .> a) .| (b .!= b))
}

/// output = max pooling of every plane (−inf padding); no indices.
public func maxPool2dInference(_ g: Pool2dGeometry, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
    if g.kernel == 3 && g.stride == 2 && g.padding == 1 && g.inWidth >= 2 {
        maxPool3x3Stride2(g, input: input, output: output)
        return
    }
    let oh = g.outHeight, ow = g.outWidth, w = g.inWidth
    let ins = SendablePointer(UnsafeMutablePointer(mutating: input)), outs = SendablePointer(output)
    Parallel.forEach(g.planes, estimatedWork: g.planes * oh * (w + ow) * g.kernel * 2) { p in
        withUnsafeTemporaryAllocation(of: Float.self, capacity: w) { columns in
            let column = columns.baseAddress!
            let x = ins.pointer + p * g.inHeight * w
            let y = outs.pointer + p * oh * ow
            for oy in 0..<oh {
                let y0 = oy * g.stride - g.padding
                let ys = max(y0, 0), ye = min(y0 + g.kernel, g.inHeight)
                let first = x + ys * w
                for ix in 0..<w { column[ix] = first[ix] }
                if ye - ys > 1 {
                    for iy in (ys + 1)..<ye {
                        let row = x + iy * w
                        for ix in 0..<w { column[ix] = nanMax(column[ix], row[ix]) }
                    }
                }
                let out = y + oy * ow
                for ox in 0..<ow {
                    let x0 = ox * g.stride - g.padding
                    let xs = max(x0, 0), xe = min(x0 + g.kernel, w)
                    var best = column[xs]
                    if xe - xs > 1 { for ix in (xs + 1)..<xe { best = nanMax(best, column[ix]) } }
                    out[ox] = best
                }
            }
        }
    }
}

/// ResNet's 3×3 stride-2 padding-1 max pool, SIMD: column maxima of the 3 rows into a buffer with a
/// −inf border, then out[ox] = max(col[2ox − 1], col[2ox], col[2ox + 1]) 8 outputs at a time.
private func maxPool3x3Stride2(_ g: Pool2dGeometry, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
    let oh = g.outHeight, ow = g.outWidth, w = g.inWidth, h = g.inHeight
    let ins = SendablePointer(UnsafeMutablePointer(mutating: input)), outs = SendablePointer(output)
    let blocks = (ow + 7) / 8
    let buffer = 16 * blocks + 32  // col[-1 ..< 16·blocks + …], −inf beyond the row
    Parallel.forEach(g.planes, estimatedWork: g.planes * oh * w * 8) { p in
        withUnsafeTemporaryAllocation(of: Float.self, capacity: buffer) { storage in
            let column = storage.baseAddress! + 1
            storage.baseAddress!.update(repeating: -.infinity, count: buffer)
            let x = UnsafePointer(ins.pointer) + p * h * w
            let y = outs.pointer + p * oh * ow
            for oy in 0..<oh {
                let ys = max(2 * oy - 1, 0), ye = min(2 * oy + 2, h)
                let first = x + ys * w
                var ix = 0
                while ix + 8 <= w {
                    var m = UnsafeRawPointer(first + ix).loadUnaligned(as: SIMD8<Float>.self)
                    for iy in (ys + 1)..<ye {
                        m = nanMax(m, UnsafeRawPointer(x + iy * w + ix).loadUnaligned(as: SIMD8<Float>.self))
                    }
                    UnsafeMutableRawPointer(column + ix).storeBytes(of: m, as: SIMD8<Float>.self)
                    ix += 8
                }
                while ix < w {
                    var m = first[ix]
                    for iy in (ys + 1)..<ye { m = nanMax(m, x[iy * w + ix]) }
                    column[ix] = m
                    ix += 1
                }
                let out = y + oy * ow
                for b in 0..<blocks {
                    let base = UnsafeRawPointer(column + 16 * b - 1)
                    let left = base.loadUnaligned(as: SIMD16<Float>.self)          // col[2ox − 1], col[2ox]
                    let right = base.loadUnaligned(fromByteOffset: 8, as: SIMD16<Float>.self)  // col[2ox + 1] (even lanes)
                    // Row-major window order for NaN: left, centre, right.
                    let m = nanMax(nanMax(left.evenHalf, left.oddHalf), right.evenHalf)
                    let count = min(8, ow - 8 * b)
                    if count == 8 {
                        UnsafeMutableRawPointer(out + 8 * b).storeBytes(of: m, as: SIMD8<Float>.self)
                    } else {
                        for l in 0..<count { out[8 * b + l] = m[l] }
                    }
                }
            }
        }
    }
}
