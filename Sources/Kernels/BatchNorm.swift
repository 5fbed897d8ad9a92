// Batch normalisation over NCHW (per channel, statistics over batch and space): statistics,
// the affine transform, and the backward for training (batch statistics) and evaluation
// (fixed statistics). Channel sums accumulate in Double.

/// mean[c] and biased variance[c] of x (batch, channels, spatial) over batch and spatial.
public func batchNormStatistics(_ x: UnsafePointer<Float>, batch: Int, channels: Int, spatial: Int,
                                mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>) {
    let xs = SendablePointer(UnsafeMutablePointer(mutating: x))
    let ms = SendablePointer(mean), vs = SendablePointer(variance)
    let m = Double(batch * spatial)
    splitWork(channels, picoseconds: batch * channels * spatial * 400) { c in
        var sum = 0.0
        for n in 0..<batch { sum += blockSum(xs.pointer + (n * channels + c) * spatial, spatial) }
        let mu = sum / m
        let muF = Float(mu)
        var squares = 0.0
        for n in 0..<batch {
            let p = xs.pointer + (n * channels + c) * spatial
            var acc = SIMD16<Float>(repeating: 0)
            var i = 0
            while i + 16 <= spatial {
                let d = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self) - SIMD16(repeating: muF)
                acc = acc.addingProduct(d, d)
                i += 16
            }
            var s = Double(acc.sum())
            while i < spatial { let d = Double(p[i]) - mu; s += d * d; i += 1 }
            squares += s
        }
        ms.pointer[c] = muF
        vs.pointer[c] = Float(squares / m)
    }
}

/// y = (x − mean[c]) · invStd[c] · weight[c] + bias[c], computed as x · α + β with α = invStd·weight,
/// β = bias − mean·α (as torch's CPU kernel does). `weight`/`bias` nil mean 1/0.
public func batchNormApply(_ x: UnsafePointer<Float>, batch: Int, channels: Int, spatial: Int,
                           mean: UnsafePointer<Float>, invStd: UnsafePointer<Float>,
                           weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
    let xs = SendablePointer(UnsafeMutablePointer(mutating: x)), ys = SendablePointer(output)
    var alpha = [Float](repeating: 0, count: channels), beta = [Float](repeating: 0, count: channels)
    for c in 0..<channels {
        let a = invStd[c] * (weight?[c] ?? 1)
        alpha[c] = a
        beta[c] = (bias?[c] ?? 0) - mean[c] * a
    }
    alpha.withUnsafeBufferPointer { ab in
        beta.withUnsafeBufferPointer { bb in
            let ap = SendablePointer(UnsafeMutablePointer(mutating: ab.baseAddress!))
            let bp = SendablePointer(UnsafeMutablePointer(mutating: bb.baseAddress!))
            splitWork(batch * channels, picoseconds: batch * channels * spatial * 400) { plane in
                let c = plane % channels
                let a = ap.pointer[c], b = bp.pointer[c]
                let src = xs.pointer + plane * spatial, dst = ys.pointer + plane * spatial
                for i in 0..<spatial { dst[i] = src[i] * a + b }
            }
        }
    }
}

/// Per channel: sumGrad[c] = Σ g, dot[c] = Σ g · (x − mean[c]).
public func batchNormGradientSums(_ x: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>, batch: Int, channels: Int,
                                  spatial: Int, mean: UnsafePointer<Float>,
                                  sumGrad: UnsafeMutablePointer<Float>, dot: UnsafeMutablePointer<Float>) {
    let xs = SendablePointer(UnsafeMutablePointer(mutating: x)), gs = SendablePointer(UnsafeMutablePointer(mutating: gradOutput))
    let ms = SendablePointer(UnsafeMutablePointer(mutating: mean))
    let ss = SendablePointer(sumGrad), ds = SendablePointer(dot)
    splitWork(channels, picoseconds: batch * channels * spatial * 500) { c in
        let mu = ms.pointer[c]
        var sg = 0.0, sd = 0.0
        for n in 0..<batch {
            let p = xs.pointer + (n * channels + c) * spatial, g = gs.pointer + (n * channels + c) * spatial
            var accG = SIMD16<Float>(repeating: 0), accD = accG
            var i = 0
            while i + 16 <= spatial {
                let gv = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD16<Float>.self)
                let xv = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self) - SIMD16(repeating: mu)
                accG += gv
                accD = accD.addingProduct(gv, xv)
                i += 16
            }
            var tg = Double(accG.sum()), td = Double(accD.sum())
            while i < spatial { tg += Double(g[i]); td += Double(g[i]) * Double(p[i] - mu); i += 1 }
            sg += tg; sd += td
        }
        ss.pointer[c] = Float(sg)
        ds.pointer[c] = Float(sd)
    }
}

/// gradInput of batch norm. Training (batch statistics):
///   dx = (g − sumGrad/M − (x − mean) · invStd² · dot/M) · invStd · weight,  M = batch·spatial;
/// evaluation (fixed statistics, `training` false): dx = g · invStd · weight.
public func batchNormBackwardInput(_ x: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>, batch: Int, channels: Int,
                                   spatial: Int, mean: UnsafePointer<Float>, invStd: UnsafePointer<Float>,
                                   weight: UnsafePointer<Float>?, sumGrad: UnsafePointer<Float>, dot: UnsafePointer<Float>,
                                   training: Bool, gradInput: UnsafeMutablePointer<Float>) {
    let m = Float(batch * spatial)
    // Per channel: dx = g·k + x·a + b with k = invStd·w, and (training) a = −k·invStd²·dot/M,
    // b = −k·sumGrad/M − mean·a.
    var kk = [Float](repeating: 0, count: channels), aa = kk, bb = kk
    for c in 0..<channels {
        let k = invStd[c] * (weight?[c] ?? 1)
        kk[c] = k
        if training {
            let a = -k * invStd[c] * invStd[c] * dot[c] / m
            aa[c] = a
            bb[c] = -k * sumGrad[c] / m - mean[c] * a
        }
    }
    let xs = SendablePointer(UnsafeMutablePointer(mutating: x)), gs = SendablePointer(UnsafeMutablePointer(mutating: gradOutput))
    let ds = SendablePointer(gradInput)
    kk.withUnsafeBufferPointer { kb in
        aa.withUnsafeBufferPointer { ab in
            bb.withUnsafeBufferPointer { bbp in
                let kp = SendablePointer(UnsafeMutablePointer(mutating: kb.baseAddress!))
                let ap = SendablePointer(UnsafeMutablePointer(mutating: ab.baseAddress!))
                let bp = SendablePointer(UnsafeMutablePointer(mutating: bbp.baseAddress!))
                splitWork(batch * channels, picoseconds: batch * channels * spatial * 500) { plane in
                    let c = plane % channels
                    let k = kp.pointer[c], a = ap.pointer[c], b = bp.pointer[c]
                    let src = xs.pointer + plane * spatial, g = gs.pointer + plane * spatial, d = ds.pointer + plane * spatial
                    if training {
                        for i in 0..<spatial { d[i] = g[i] * k + (src[i] * a + b) }
                    } else {
                        for i in 0..<spatial { d[i] = g[i] * k }
                    }
                }
            }
        }
    }
}
