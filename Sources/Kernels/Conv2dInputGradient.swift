/// The input gradient of a strided (or over-padded) convolution as stride-1 forward convolutions,
/// one per stride phase, with no column matrix and no col2im scatter-add.
///
/// In padded input coordinates Y = oy·sy + ky. Splitting Y = y·sy + a (phase a = Y mod sy) and
/// ky = qy·sy + a gives oy = y − qy, so
///   dX[c][y·sy + a − padY][x·sx + b − padX] = Σ_co,qy,qx dY[co][y − qy][x − qx] · W[co][c][qy·sy + a][qx·sx + b],
/// a full stride-1 correlation of dY with the phase's sub-kernel, flipped: a forward convolution
/// (padding kq − 1) of dY with weights K[c][co][qy'][qx'] = W[co][c][(kqh−1−qy')·sy + a][(kqw−1−qx')·sx + b].
/// Each input pixel belongs to exactly one phase; pixels no window reaches stay zero.
func conv2dBackwardInputByPhases(_ g: Conv2dGeometry, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                 gradInput: UnsafeMutablePointer<Float>, isa: KernelISA) {
    let h = g.inHeight, w = g.inWidth, sy = g.strideY, sx = g.strideX
    let kh = g.kernelHeight, kw = g.kernelWidth, cin = g.inChannels, cout = g.outChannels
    // Zero first: pixels no window reaches belong to no phase. Parallel: it is a full pass over dX.
    let planes = SendablePointer(gradInput)
    Parallel.forEach(g.batch * cin, estimatedWork: g.batch * cin * h * w * 4) { plane in
        (planes.pointer + plane * h * w).update(repeating: 0, count: h * w)
    }
    for a in 0..<min(sy, kh) {
        for b in 0..<min(sx, kw) {
            let kqh = (kh - a + sy - 1) / sy, kqw = (kw - b + sx - 1) / sx
            let phase = Conv2dGeometry(batch: g.batch, inChannels: cout, inHeight: g.outHeight, inWidth: g.outWidth,
                                       outChannels: cin, kernelHeight: kqh, kernelWidth: kqw,
                                       strideY: 1, strideX: 1, padY: kqh - 1, padX: kqw - 1)
            let ph = phase.outHeight, pw = phase.outWidth
            let kernelFloats = cin * cout * kqh * kqw
            Workspace.shared.withBuffer(floats: kernelFloats + g.batch * cin * ph * pw) { buffer in
                let kernel = buffer, result = SendablePointer(buffer + kernelFloats)
                for c in 0..<cin {
                    for co in 0..<cout {
                        let src = weight + (co * cin + c) * kh * kw
                        let dst = kernel + (c * cout + co) * kqh * kqw
                        for qy in 0..<kqh {
                            for qx in 0..<kqw {
                                dst[qy * kqw + qx] = src[((kqh - 1 - qy) * sy + a) * kw + (kqw - 1 - qx) * sx + b]
                            }
                        }
                    }
                }
                conv2dForward(phase, input: gradOutput, weight: kernel, bias: nil, output: result.pointer, isa: isa)
                // Scatter the phase into the input gradient (disjoint pixels per phase and plane).
                let out = SendablePointer(gradInput)
                Parallel.forEach(g.batch * cin, estimatedWork: g.batch * cin * ph * pw * 8) { plane in
                    let src = UnsafePointer(result.pointer) + plane * ph * pw
                    let dst = out.pointer + plane * h * w
                    // Phase columns x with 0 ≤ x·sx + b − padX < w, found once instead of per pixel.
                    let x0 = max(0, (g.padX - b + sx - 1) / sx)
                    let last = w - 1 + g.padX - b  // x·sx ≤ last (no column at all if negative)
                    let x1 = last < 0 ? 0 : min(pw, last / sx + 1)
                    if x1 <= x0 { return }
                    for y in 0..<ph {
                        let iy = y * sy + a - g.padY
                        if iy < 0 || iy >= h { continue }
                        let from = src + y * pw
                        let to = dst + iy * w + (x0 * sx + b - g.padX)
                        for x in x0..<x1 { to[(x - x0) &* sx] = from[x] }
                    }
                }
            }
        }
    }
}
