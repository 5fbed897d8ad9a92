// Monodepth2's per-pixel photometric error (`trainer.py Trainer.compute_reprojection_loss`) fused into
// one pass over the channels:
//   out[n, 0] = ssimWeight · mean_c SSIMloss(x, y)[n, c] + (1 − ssimWeight) · mean_c |y − x|[n, c]
// with ssimWeight 0.85 (0: the --no_ssim L1 term alone). The channel sums run in channel order and
// the two terms combine as the original writes them, so only the SSIM term itself differs in
// rounding from the unfused ops. The backward recomputes everything from x and y.

/// Geometry of a photometric error: x, y (batch, channels, height, width), output (batch, 1, height, width).
public struct PhotometricGeometry: Sendable, Equatable {
    public var batch, channels, height, width: Int
    public init(batch: Int, channels: Int, height: Int, width: Int) {
        self.batch = batch; self.channels = channels; self.height = height; self.width = width
    }
    var bandRows: Int { 16 }
    var bands: Int { (height + bandRows - 1) / bandRows }
}

public func photometricErrorForward(_ g: PhotometricGeometry, ssimWeight: Float, x: UnsafePointer<Float>,
                                    y: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
    precondition(ssimWeight == 0 || (g.height >= 2 && g.width >= 2),
                 "photometricErrorForward: plane \(g.height)x\(g.width) (SSIM's reflection padding needs ≥ 2)")
    let xs = SendablePointer(UnsafeMutablePointer(mutating: x)), ys = SendablePointer(UnsafeMutablePointer(mutating: y))
    let outs = SendablePointer(output)
    let bands = g.bands, plane = g.height * g.width, (channels, height, width) = (g.channels, g.height, g.width)
    let count = Float(channels), l1Weight = 1 - ssimWeight
    splitWork(g.batch * bands, picoseconds: g.batch * channels * plane * (ssimWeight != 0 ? 2800 : 400)) { item in
        let n = item / bands, r0 = (item % bands) * g.bandRows, r1 = min(height, r0 + g.bandRows)
        let rows = SSIMRows(width: width)
        defer { rows.deallocate() }
        let ssimSum = UnsafeMutablePointer<Float>.allocate(capacity: width), l1Sum = UnsafeMutablePointer<Float>.allocate(capacity: width)
        defer { ssimSum.deallocate(); l1Sum.deallocate() }
        for r in r0..<r1 {
            ssimSum.update(repeating: 0, count: width)
            l1Sum.update(repeating: 0, count: width)
            for c in 0..<channels {
                let px = UnsafePointer(xs.pointer + (n * channels + c) * plane), py = UnsafePointer(ys.pointer + (n * channels + c) * plane)
                if ssimWeight != 0 {
                    rows.moments(row: r, height: height, x: px, y: py)
                    rows.ssimLoss(into: rows.scratch)
                    for j in 0..<width { ssimSum[j] += rows.scratch[j] }
                }
                let xr = px + r * width, yr = py + r * width
                for j in 0..<width { l1Sum[j] += abs(yr[j] - xr[j]) }
            }
            let out = outs.pointer + n * plane + r * width
            if ssimWeight != 0 {
                for j in 0..<width { out[j] = ssimWeight * (ssimSum[j] / count) + l1Weight * (l1Sum[j] / count) }
            } else {
                for j in 0..<width { out[j] = l1Sum[j] / count }
            }
        }
    }
}

/// Gradients with respect to x and y (each overwritten when non-nil) given gradOutput (batch, 1, H, W).
public func photometricErrorBackward(_ g: PhotometricGeometry, ssimWeight: Float, x: UnsafePointer<Float>,
                                     y: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                     gradX: UnsafeMutablePointer<Float>?, gradY: UnsafeMutablePointer<Float>?) {
    if gradX == nil && gradY == nil { return }
    let xs = SendablePointer(UnsafeMutablePointer(mutating: x)), ys = SendablePointer(UnsafeMutablePointer(mutating: y))
    let gos = SendablePointer(UnsafeMutablePointer(mutating: gradOutput))
    let gxs = gradX.map { SendablePointer($0) }, gys = gradY.map { SendablePointer($0) }
    let bands = g.bands, plane = g.height * g.width, (channels, height, width) = (g.channels, g.height, g.width)
    // d out / d SSIMloss_c = ssimWeight / C; d out / d |y − x|_c = (1 − ssimWeight) / C.
    let count = Float(channels), ssimScale = ssimWeight / count, l1Weight = (1 - ssimWeight) / count
    splitWork(g.batch * channels * bands, picoseconds: g.batch * channels * plane * (ssimWeight != 0 ? 6000 : 400)) { item in
        let p = item / bands, n = p / channels, r0 = (item % bands) * g.bandRows, r1 = min(height, r0 + g.bandRows)
        let px = xs.pointer + p * plane, py = ys.pointer + p * plane, go = gos.pointer + n * plane
        let gx = gxs.map { $0.pointer + p * plane }, gy = gys.map { $0.pointer + p * plane }
        if ssimWeight != 0 {
            ssimPlaneBackward(rows: r0..<r1, height: height, width: width, x: px, y: py, gradOutput: go,
                              gradOutputScale: ssimScale, l1Weight: l1Weight, gradX: gx, gradY: gy)
        } else {
            for i in r0..<r1 {
                gx?.advanced(by: i * width).update(repeating: 0, count: width)
                gy?.advanced(by: i * width).update(repeating: 0, count: width)
                l1Gradients(x: px + i * width, y: py + i * width, gradOutput: go + i * width, weight: l1Weight, width: width,
                            gradX: gx.map { $0 + i * width }, gradY: gy.map { $0 + i * width })
            }
        }
    }
}
