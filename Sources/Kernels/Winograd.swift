// Winograd F(2×2, 3×3) convolution for inference (networks engineer's file): stride 1, 3×3 kernels
// on a padded image. Per 2×2 output tile: input transform V = Bᵀ·d·B (4×4 from a 4×4 input tile),
// 16 independent GEMMs M[ξ] = U[ξ]·V[ξ] over the channels (U = G·g·Gᵀ, precomputed once per layer),
// output transform Y = Aᵀ·M·A. 2.25× fewer multiply-adds than direct convolution; the rounding
// differs from it by a few float32 ulps of the partial sums.
//
//   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]   G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]
//   Aᵀ = [1 1 1 0; 0 1 −1 −1]

/// U (16, Cout, Cin) with U[ξ = 4i + j][co][ci] = (G·g·Gᵀ)[i][j] for weight (Cout, Cin, 3, 3).
public func winogradTransformWeights(_ weight: UnsafePointer<Float>, outChannels: Int, inChannels: Int,
                                     into u: UnsafeMutablePointer<Float>) {
    let pairs = outChannels * inChannels
    for p in 0..<pairs {
        let g = weight + 9 * p
        // t = G·g (4×3), then u = t·Gᵀ (4×4).
        var t = InlineArray<12, Float>(repeating: 0)
        for c in 0..<3 {
            let g0 = g[c], g1 = g[3 + c], g2 = g[6 + c]
            t[c] = g0
            t[3 + c] = 0.5 * (g0 + g1 + g2)
            t[6 + c] = 0.5 * (g0 - g1 + g2)
            t[9 + c] = g2
        }
        for i in 0..<4 {
            let a = t[3 * i], b = t[3 * i + 1], c = t[3 * i + 2]
            u[(4 * i) * pairs + p] = a
            u[(4 * i + 1) * pairs + p] = 0.5 * (a + b + c)
            u[(4 * i + 2) * pairs + p] = 0.5 * (a - b + c)
            u[(4 * i + 3) * pairs + p] = c
        }
    }
}

/// Whether the Winograd path pays for a layer (measured on ResNet-18 / depth decoder shapes, Zen 4,
/// 2 threads): wide layers (≥ 64 channels in and out) with enough tiles, as long as the transformed
/// input and output (16·(Cin + Cout)·tiles floats) stay within 8 MB. Larger ones lose to the
/// implicit-GEMM and direct kernels because the untiled transforms then stream through memory.
func winogradApplies(outChannels: Int, inChannels: Int, outHeight: Int, outWidth: Int) -> Bool {
    let tiles = ((outHeight + 1) / 2) * ((outWidth + 1) / 2)
    return outChannels >= 64 && inChannels >= 64 && tiles >= 64 && 16 * (inChannels + outChannels) * tiles * 4 <= 8 << 20
}

/// Geometry of one Winograd convolution: padded input (C, hp, wp) already laid out with at least
/// `paddedHeight` × `paddedWidth` (zero beyond the real padded image), output (K, ho, wo).
struct WinogradPlan {
    let channels, outChannels, ho, wo: Int
    let tilesY, tilesX: Int
    var tiles: Int { tilesY * tilesX }
    /// Rows/columns the transforms read: whole tiles, columns rounded to 8 tiles (SIMD width).
    var paddedHeight: Int { 2 * tilesY + 2 }
    var paddedWidth: Int { 2 * ((tilesX + 7) / 8 * 8) + 2 }

    init(channels: Int, outChannels: Int, outHeight: Int, outWidth: Int) {
        self.channels = channels; self.outChannels = outChannels; ho = outHeight; wo = outWidth
        tilesY = (outHeight + 1) / 2
        tilesX = (outWidth + 1) / 2
    }
}

/// output (K, ho, wo) = activation(conv3×3(input) + bias + residual) for ONE image whose padded input
/// (C, plan.paddedHeight, plan.paddedWidth) is in `input`; `u` from `winogradTransformWeights`.
func winogradConv2d(_ plan: WinogradPlan, input: UnsafePointer<Float>, u: UnsafePointer<Float>,
                    bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?, activation: ConvActivation,
                    output: UnsafeMutablePointer<Float>) {
    let c = plan.channels, k = plan.outChannels, t = plan.tiles
    Workspace.shared.withBuffer(floats: 16 * (c + k) * t) { buffer in
        let v = SendablePointer(buffer), m = SendablePointer(buffer + 16 * c * t)
        let src = SendablePointer(UnsafeMutablePointer(mutating: input))
        Parallel.forEach(c, estimatedWork: 16 * 8 * c * t) { ci in
            winogradInputTransform(plan, channel: ci, input: UnsafePointer(src.pointer), v: v.pointer)
        }
        let us = SendablePointer(UnsafeMutablePointer(mutating: u))
        Parallel.forEach(16, estimatedWork: 2 * 16 * k * c * t) { xi in
            sgemm(transposeA: false, transposeB: false, m: k, n: t, k: c, alpha: 1,
                  a: UnsafePointer(us.pointer) + xi * k * c, lda: c, b: UnsafePointer(v.pointer) + xi * c * t, ldb: t,
                  beta: 0, c: m.pointer + xi * k * t, ldc: t)
        }
        let out = SendablePointer(output)
        let res = residual.map { SendablePointer(UnsafeMutablePointer(mutating: $0)) }
        let bs = bias.map { SendablePointer(UnsafeMutablePointer(mutating: $0)) }
        Parallel.forEach(k, estimatedWork: 16 * 8 * k * t) { ko in
            winogradOutputTransform(plan, outChannel: ko, m: UnsafePointer(m.pointer), bias: bs.map { $0.pointer[ko] } ?? 0,
                                    residual: res.map { UnsafePointer($0.pointer) }, activation: activation, output: out.pointer)
        }
    }
}

/// V[ξ][ci][tile] for one input channel, 8 tiles of a tile row at a time.
private func winogradInputTransform(_ plan: WinogradPlan, channel ci: Int, input: UnsafePointer<Float>,
                                    v: UnsafeMutablePointer<Float>) {
    let wp = plan.paddedWidth, plane = input + ci * plan.paddedHeight * wp
    let t = plan.tiles, stride = plan.channels * t
    let base = v + ci * t
    for ty in 0..<plan.tilesY {
        var tx0 = 0
        while tx0 < plan.tilesX {
            let valid = min(8, plan.tilesX - tx0)
            // d[i][j] = input[2ty + i][2tx + j] for the 8 tiles tx0 ..< tx0 + 8.
            var d = InlineArray<16, SIMD8<Float>>(repeating: SIMD8())
            for i in 0..<4 {
                let row = UnsafeRawPointer(plane + (2 * ty + i) * wp + 2 * tx0)
                let a = row.loadUnaligned(as: SIMD16<Float>.self), b = row.loadUnaligned(fromByteOffset: 8, as: SIMD16<Float>.self)
                d[4 * i] = a.evenHalf; d[4 * i + 1] = a.oddHalf; d[4 * i + 2] = b.evenHalf; d[4 * i + 3] = b.oddHalf
            }
            // Bᵀ·d (rows), then ·B (columns).
            var r = InlineArray<16, SIMD8<Float>>(repeating: SIMD8())
            for j in 0..<4 {
                let d0 = d[j], d1 = d[4 + j], d2 = d[8 + j], d3 = d[12 + j]
                r[j] = d0 - d2; r[4 + j] = d1 + d2; r[8 + j] = d2 - d1; r[12 + j] = d1 - d3
            }
            let dst = base + ty * plan.tilesX + tx0
            for i in 0..<4 {
                let r0 = r[4 * i], r1 = r[4 * i + 1], r2 = r[4 * i + 2], r3 = r[4 * i + 3]
                let p = dst + 4 * i * stride
                if valid == 8 {
                    UnsafeMutableRawPointer(p).storeBytes(of: r0 - r2, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(p + stride).storeBytes(of: r1 + r2, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(p + 2 * stride).storeBytes(of: r2 - r1, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(p + 3 * stride).storeBytes(of: r1 - r3, as: SIMD8<Float>.self)
                } else {
                    let v0 = r0 - r2, v1 = r1 + r2, v2 = r2 - r1, v3 = r1 - r3
                    for l in 0..<valid {
                        p[l] = v0[l]; p[stride + l] = v1[l]; p[2 * stride + l] = v2[l]; p[3 * stride + l] = v3[l]
                    }
                }
            }
            tx0 += 8
        }
    }
}

/// Output channel `ko`: Y = Aᵀ·M·A per tile, + bias (+ residual), activation, written to (ho, wo).
private func winogradOutputTransform(_ plan: WinogradPlan, outChannel ko: Int, m: UnsafePointer<Float>, bias: Float,
                                     residual: UnsafePointer<Float>?, activation: ConvActivation,
                                     output: UnsafeMutablePointer<Float>) {
    let t = plan.tiles, stride = plan.outChannels * t
    let base = m + ko * t
    let out = output + ko * plan.ho * plan.wo
    let res = residual.map { $0 + ko * plan.ho * plan.wo }
    do {
        for ty in 0..<plan.tilesY {
            var tx0 = 0
            while tx0 < plan.tilesX {
                let valid = min(8, plan.tilesX - tx0)
                let src = base + ty * plan.tilesX + tx0
                var mm = InlineArray<16, SIMD8<Float>>(repeating: SIMD8())
                for xi in 0..<16 {
                    let p = src + xi * stride
                    if valid == 8 {
                        mm[xi] = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
                    } else {
                        var x = SIMD8<Float>()
                        for l in 0..<valid { x[l] = p[l] }
                        mm[xi] = x
                    }
                }
                // Aᵀ·M (rows 0, 1), then ·A (columns 0, 1).
                var s = InlineArray<8, SIMD8<Float>>(repeating: SIMD8())
                for j in 0..<4 {
                    s[j] = mm[j] + mm[4 + j] + mm[8 + j]
                    s[4 + j] = mm[4 + j] - mm[8 + j] - mm[12 + j]
                }
                let b = SIMD8<Float>(repeating: bias)
                for row in 0..<2 {
                    let y0 = s[4 * row] + s[4 * row + 1] + s[4 * row + 2] + b
                    let y1 = s[4 * row + 1] - s[4 * row + 2] - s[4 * row + 3] + b
                    let oy = 2 * ty + row
                    if oy >= plan.ho { continue }
                    let ox0 = 2 * tx0
                    let count = min(2 * valid, plan.wo - ox0)
                    var line = SIMD16<Float>()
                    for l in 0..<8 { line[2 * l] = y0[l]; line[2 * l + 1] = y1[l] }
                    let dst = out + oy * plan.wo + ox0
                    if let res {
                        let r = res + oy * plan.wo + ox0
                        if count == 16 {
                            line += UnsafeRawPointer(r).loadUnaligned(as: SIMD16<Float>.self)
                        } else {
                            for l in 0..<count { line[l] += r[l] }
                        }
                    }
                    switch activation {
                    case .identity: break
                    case .relu: line = line.replacing(with: 0, where: line .< 0)
                    case .elu: line = (fastExp(line) - 1).replacing(with: line, where: line .> 0)
                    case .sigmoid: line = 1 / (1 + fastExp(-line))
                    }
                    if count == 16 {
                        UnsafeMutableRawPointer(dst).storeBytes(of: line, as: SIMD16<Float>.self)
                    } else {
                        for l in 0..<count { dst[l] = line[l] }
                    }
                }
                tx0 += 8
            }
        }
    }
}

/// Copies one image (C, h, w) into `padded` (C, plan.paddedHeight, plan.paddedWidth) with `pad`
/// rows/columns of reflection (row −1 = row 1) or zero padding around it and zeros beyond.
func winogradPad(_ plan: WinogradPlan, input: UnsafePointer<Float>, height h: Int, width w: Int, pad: Int, reflect: Bool,
                 padded: UnsafeMutablePointer<Float>) {
    let hp = plan.paddedHeight, wp = plan.paddedWidth
    let src = SendablePointer(UnsafeMutablePointer(mutating: input)), dst = SendablePointer(padded)
    Parallel.forEach(plan.channels, estimatedWork: plan.channels * hp * wp * 8) { c in
        let x = UnsafePointer(src.pointer) + c * h * w, y = dst.pointer + c * hp * wp
        for py in 0..<hp {
            let out = y + py * wp
            var iy = py - pad
            if reflect {
                if iy < 0 { iy = -iy } else if iy >= h && iy < h + pad { iy = 2 * (h - 1) - iy }
            }
            guard iy >= 0 && iy < h else { out.update(repeating: 0, count: wp); continue }
            let row = x + iy * w
            for px in 0..<min(pad, wp) {
                out[px] = reflect ? row[pad - px] : 0
            }
            (out + pad).update(from: row, count: w)
            for px in (pad + w)..<wp {
                let ix = px - pad
                out[px] = reflect && ix < w + pad ? row[2 * (w - 1) - ix] : 0
            }
        }
    }
}
