// Max pooling without indices, for inference (networks engineer's file): separable (window maximum
// down each column, then along the row), no per-output index bookkeeping. Same values as
// `maxPool2dForward` (−inf padding, NaN propagates).

@inline(__always)
private func nanMax(_ a: Float, _ b: Float) -> Float { b > a || b.isNaN ? b : a }

/// output = max pooling of every plane (−inf padding); no indices.
public func maxPool2dInference(_ g: Pool2dGeometry, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
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
