// Bilinear grid sampling with padding_mode="border" and align_corners=True (the Monodepth2 warp,
// MONODEPTH2.md §3 and §13.1): grid value −1 is the centre of pixel 0, +1 the centre of the last
// pixel; coordinates outside clamp to the border. Forward and backward (image and grid).

/// Shapes: image (batch, channels, inHeight, inWidth), grid (batch, outHeight, outWidth, 2) holding
/// (x, y) in [−1, 1], output (batch, channels, outHeight, outWidth).
public struct GridSampleGeometry: Sendable, Equatable {
    public var batch, channels, inHeight, inWidth, outHeight, outWidth: Int
    public init(batch: Int, channels: Int, inHeight: Int, inWidth: Int, outHeight: Int, outWidth: Int) {
        self.batch = batch; self.channels = channels; self.inHeight = inHeight; self.inWidth = inWidth
        self.outHeight = outHeight; self.outWidth = outWidth
    }
}

/// One sampling position: clamped source coordinates, corner indices, and the clamp masks
/// (d(clamped)/d(grid) factors: (size−1)/2 inside, 0 where the border clamp is active).
@usableFromInline
struct GridTap {
    var ix: Float, iy: Float, x0: Int, y0: Int, gxMult: Float, gyMult: Float

    @inline(__always)
    init(gx: Float, gy: Float, width: Int, height: Int) {
        let maxX = Float(width - 1), maxY = Float(height - 1)
        var x = ((gx + 1) / 2) * maxX
        var y = ((gy + 1) / 2) * maxY
        // Border clamp (torch clip_coordinates_set_grad: the border itself counts as clamped).
        gxMult = maxX / 2; gyMult = maxY / 2
        if x <= 0 { x = 0; gxMult = 0 } else if x >= maxX { x = maxX; gxMult = 0 }
        if y <= 0 { y = 0; gyMult = 0 } else if y >= maxY { y = maxY; gyMult = 0 }
        if x.isNaN { x = 0; gxMult = 0 }
        if y.isNaN { y = 0; gyMult = 0 }
        ix = x; iy = y
        x0 = Int(x.rounded(.down)); y0 = Int(y.rounded(.down))
    }
}

public func gridSampleForward(_ g: GridSampleGeometry, input: UnsafePointer<Float>, grid: UnsafePointer<Float>,
                              output: UnsafeMutablePointer<Float>) {
    let ins = SendablePointer(UnsafeMutablePointer(mutating: input)), grs = SendablePointer(UnsafeMutablePointer(mutating: grid))
    let outs = SendablePointer(output)
    let plane = g.inHeight * g.inWidth, outPlane = g.outHeight * g.outWidth
    splitWork(g.batch * g.outHeight, picoseconds: g.batch * outPlane * g.channels * 2500) { row in
        let n = row / g.outHeight, oy = row % g.outHeight
        let gp = grs.pointer + (n * outPlane + oy * g.outWidth) * 2
        let img = ins.pointer + n * g.channels * plane
        let out = outs.pointer + n * g.channels * outPlane + oy * g.outWidth
        for ox in 0..<g.outWidth {
            let t = GridTap(gx: gp[2 * ox], gy: gp[2 * ox + 1], width: g.inWidth, height: g.inHeight)
            let fx = t.ix - Float(t.x0), fy = t.iy - Float(t.y0)
            let hasX1 = t.x0 + 1 < g.inWidth, hasY1 = t.y0 + 1 < g.inHeight
            // Weights as torch: nw = (x1 − x)(y1 − y), ne = (x − x0)(y1 − y), sw = (x1 − x)(y − y0), se = (x − x0)(y − y0).
            let nw = (1 - fx) * (1 - fy), ne = fx * (1 - fy), sw = (1 - fx) * fy, se = fx * fy
            let base = t.y0 * g.inWidth + t.x0
            for c in 0..<g.channels {
                let p = img + c * plane + base
                var v = p[0] * nw
                if hasX1 { v += p[1] * ne }
                if hasY1 { v += p[g.inWidth] * sw; if hasX1 { v += p[g.inWidth + 1] * se } }
                out[c * outPlane + ox] = v
            }
        }
    }
}

/// gradInput (overwritten, if non-nil) and gradGrid (overwritten, if non-nil) of `gridSampleForward`.
/// The grid gradient is zero in a coordinate whose border clamp is active.
public func gridSampleBackward(_ g: GridSampleGeometry, input: UnsafePointer<Float>, grid: UnsafePointer<Float>,
                               gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>?,
                               gradGrid: UnsafeMutablePointer<Float>?) {
    let plane = g.inHeight * g.inWidth, outPlane = g.outHeight * g.outWidth
    let ins = SendablePointer(UnsafeMutablePointer(mutating: input)), grs = SendablePointer(UnsafeMutablePointer(mutating: grid))
    let gos = SendablePointer(UnsafeMutablePointer(mutating: gradOutput))
    let gis = gradInput.map { SendablePointer($0) }, ggs = gradGrid.map { SendablePointer($0) }
    // Image gradients scatter within one batch item, so items run in parallel; rows within an item do not.
    splitWork(g.batch, picoseconds: g.batch * outPlane * g.channels * 5000) { n in
        let img = ins.pointer + n * g.channels * plane
        let gi = gis.map { $0.pointer + n * g.channels * plane }
        gi?.update(repeating: 0, count: g.channels * plane)
        for oy in 0..<g.outHeight {
            let gp = grs.pointer + (n * outPlane + oy * g.outWidth) * 2
            let go = gos.pointer + n * g.channels * outPlane + oy * g.outWidth
            let gg = ggs.map { $0.pointer + (n * outPlane + oy * g.outWidth) * 2 }
            for ox in 0..<g.outWidth {
                let t = GridTap(gx: gp[2 * ox], gy: gp[2 * ox + 1], width: g.inWidth, height: g.inHeight)
                let fx = t.ix - Float(t.x0), fy = t.iy - Float(t.y0)
                let hasX1 = t.x0 + 1 < g.inWidth, hasY1 = t.y0 + 1 < g.inHeight
                let nw = (1 - fx) * (1 - fy), ne = fx * (1 - fy), sw = (1 - fx) * fy, se = fx * fy
                let base = t.y0 * g.inWidth + t.x0
                var gix: Float = 0, giy: Float = 0
                for c in 0..<g.channels {
                    let gOut = go[c * outPlane + ox]
                    let p = img + c * plane + base
                    let vnw = p[0]
                    let vne: Float = hasX1 ? p[1] : 0
                    let vsw: Float = hasY1 ? p[g.inWidth] : 0
                    let vse: Float = (hasX1 && hasY1) ? p[g.inWidth + 1] : 0
                    if let gi {
                        let d = gi + c * plane + base
                        d[0] += nw * gOut
                        if hasX1 { d[1] += ne * gOut }
                        if hasY1 { d[g.inWidth] += sw * gOut; if hasX1 { d[g.inWidth + 1] += se * gOut } }
                    }
                    // torch: gix = Σ (−nw_val (y1−y) + ne_val (y1−y) − sw_val (y−y0) + se_val (y−y0)) gOut
                    gix += ((vne - vnw) * (1 - fy) + (vse - vsw) * fy) * gOut
                    giy += ((vsw - vnw) * (1 - fx) + (vse - vne) * fx) * gOut
                }
                if let gg {
                    gg[2 * ox] = gix * t.gxMult
                    gg[2 * ox + 1] = giy * t.gyMult
                }
            }
        }
    }
}
