// Bilinear grid sampling with padding_mode="border" and align_corners=True (the Monodepth2 warp:
// `trainer.py Trainer.generate_images_pred` calls `F.grid_sample(..., padding_mode="border")` on the
// coordinates of `layers.py Project3D.forward`, normalised by W − 1 and H − 1, which is PyTorch 0.4.1's
// only mode): grid value −1 is the centre of pixel 0, +1 the centre of the last
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

/// One sampling position: the four corner offsets in the plane, the bilinear weights, the
/// fractional parts, and the clamp masks (d(clamped)/d(grid): (size−1)/2 inside, 0 where the
/// border clamp is active). Corners past the last row/column are redirected to it: their weight
/// is exactly 0 there (the clamped coordinate is then the last pixel), so no branch is needed.
@usableFromInline
struct GridTap {
    var o00: Int, o01: Int, o10: Int, o11: Int
    var fx: Float, fy: Float, gxMult: Float, gyMult: Float

    @inline(__always)
    init(gx: Float, gy: Float, width: Int, height: Int) {
        let maxX = Float(width - 1), maxY = Float(height - 1)
        var x = ((gx + 1) * 0.5) * maxX   // = ((g + 1) / 2)·(size − 1), exactly
        var y = ((gy + 1) * 0.5) * maxY
        // Border clamp (torch clip_coordinates_set_grad: the border itself counts as clamped; NaN too).
        gxMult = maxX / 2; gyMult = maxY / 2
        if !(x > 0) { x = 0; gxMult = 0 } else if x >= maxX { x = maxX; gxMult = 0 }
        if !(y > 0) { y = 0; gyMult = 0 } else if y >= maxY { y = maxY; gyMult = 0 }
        // floor for 0 ≤ v < 2^23 without the checked Float→Int conversion: 2^23 + ⌊v⌋ is exact and
        // its low mantissa bits hold ⌊v⌋.
        let fx0 = x.rounded(.down), fy0 = y.rounded(.down)
        let x0 = Int((fx0 + 8_388_608).bitPattern & 0x7F_FFFF), y0 = Int((fy0 + 8_388_608).bitPattern & 0x7F_FFFF)
        fx = x - fx0; fy = y - fy0
        let x1 = x0 &+ (x0 &+ 1 < width ? 1 : 0), y1 = y0 &+ (y0 &+ 1 < height ? 1 : 0)
        o00 = y0 &* width &+ x0; o01 = y0 &* width &+ x1
        o10 = y1 &* width &+ x0; o11 = y1 &* width &+ x1
    }
}

public func gridSampleForward(_ g: GridSampleGeometry, input: UnsafePointer<Float>, grid: UnsafePointer<Float>,
                              output: UnsafeMutablePointer<Float>) {
    let ins = SendablePointer(UnsafeMutablePointer(mutating: input)), grs = SendablePointer(UnsafeMutablePointer(mutating: grid))
    let outs = SendablePointer(output)
    let plane = g.inHeight * g.inWidth, outPlane = g.outHeight * g.outWidth
    let (channels, width, height, outWidth, outHeight) = (g.channels, g.inWidth, g.inHeight, g.outWidth, g.outHeight)
    splitWork(g.batch * outHeight, picoseconds: g.batch * outPlane * channels * 2500) { row in
        let n = row / outHeight, oy = row % outHeight
        let gp = grs.pointer + (n * outPlane + oy * outWidth) * 2
        let img = ins.pointer + n * channels * plane
        let out = outs.pointer + n * channels * outPlane + oy * outWidth
        for ox in 0..<outWidth {
            let t = GridTap(gx: gp[2 * ox], gy: gp[2 * ox + 1], width: width, height: height)
            // torch weights: nw = (x1 − x)(y1 − y), ne = (x − x0)(y1 − y), sw = (x1 − x)(y − y0), se = (x − x0)(y − y0)
            let nw = (1 - t.fx) * (1 - t.fy), ne = t.fx * (1 - t.fy), sw = (1 - t.fx) * t.fy, se = t.fx * t.fy
            var p = img, o = out + ox
            for _ in 0..<channels {
                o.pointee = p[t.o00] * nw + p[t.o01] * ne + p[t.o10] * sw + p[t.o11] * se
                p += plane; o += outPlane
            }
        }
    }
}

/// gradInput (overwritten, if non-nil) and gradGrid (overwritten, if non-nil) of `gridSampleForward`.
/// The grid gradient is zero in a coordinate whose border clamp is active.
/// Two passes, each parallel over independent outputs: the image gradient over (item, channel)
/// planes (a plane's scatter reads only its own channel of gradOutput), the grid gradient over
/// output rows (a sum over channels per position).
public func gridSampleBackward(_ g: GridSampleGeometry, input: UnsafePointer<Float>, grid: UnsafePointer<Float>,
                               gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>?,
                               gradGrid: UnsafeMutablePointer<Float>?) {
    let plane = g.inHeight * g.inWidth, outPlane = g.outHeight * g.outWidth
    let (channels, width, height, outWidth, outHeight) = (g.channels, g.inWidth, g.inHeight, g.outWidth, g.outHeight)
    let ins = SendablePointer(UnsafeMutablePointer(mutating: input)), grs = SendablePointer(UnsafeMutablePointer(mutating: grid))
    let gos = SendablePointer(UnsafeMutablePointer(mutating: gradOutput))
    if let gradInput {
        let gis = SendablePointer(gradInput)
        splitWork(g.batch * channels, picoseconds: g.batch * channels * (outPlane * 4000 + plane * 200)) { item in
            let n = item / channels
            let d = gis.pointer + item * plane
            d.update(repeating: 0, count: plane)
            let gp = grs.pointer + n * outPlane * 2
            let go = gos.pointer + item * outPlane
            for o in 0..<outPlane {
                let t = GridTap(gx: gp[2 * o], gy: gp[2 * o + 1], width: width, height: height)
                let gOut = go[o]
                d[t.o00] += (1 - t.fx) * (1 - t.fy) * gOut; d[t.o01] += t.fx * (1 - t.fy) * gOut
                d[t.o10] += (1 - t.fx) * t.fy * gOut; d[t.o11] += t.fx * t.fy * gOut
            }
        }
    }
    guard let gradGrid else { return }
    let ggs = SendablePointer(gradGrid)
    splitWork(g.batch * outHeight, picoseconds: g.batch * outPlane * channels * 2500) { row in
        let n = row / outHeight, oy = row % outHeight
        let gp = grs.pointer + (n * outPlane + oy * outWidth) * 2
        let go = gos.pointer + n * channels * outPlane + oy * outWidth
        let gg = ggs.pointer + (n * outPlane + oy * outWidth) * 2
        let img = ins.pointer + n * channels * plane
        for ox in 0..<outWidth {
            let t = GridTap(gx: gp[2 * ox], gy: gp[2 * ox + 1], width: width, height: height)
            var gix: Float = 0, giy: Float = 0
            var p = img, q = go + ox
            for _ in 0..<channels {
                let gOut = q.pointee
                let vnw = p[t.o00], vne = p[t.o01], vsw = p[t.o10], vse = p[t.o11]
                // torch: gix = Σ (−nw_val (y1−y) + ne_val (y1−y) − sw_val (y−y0) + se_val (y−y0)) gOut, giy likewise
                gix += ((vne - vnw) * (1 - t.fy) + (vse - vsw) * t.fy) * gOut
                giy += ((vsw - vnw) * (1 - t.fx) + (vse - vne) * t.fx) * gOut
                p += plane; q += outPlane
            }
            gg[2 * ox] = gix * t.gxMult
            gg[2 * ox + 1] = giy * t.gyMult
        }
    }
}
