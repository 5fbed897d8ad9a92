// Batch normalisation over NCHW (per channel, statistics over batch and space): statistics,
// the affine transform, and the backward for training (batch statistics) and evaluation
// (fixed statistics). Channel sums accumulate in Double.

/// Sums per-channel partial results over the replicas of a data-parallel run, in place (SyncBN);
/// nil: one replica.
public typealias ChannelSumCombiner = (UnsafeMutableBufferPointer<Double>) -> Void

/// mean[c] and biased variance[c] of x (batch, channels, spatial) over batch and spatial, and with
/// `combine` over every replica's x: the per-channel sums of x are combined into the mean, then
/// the sums of (x − mean)² into the variance (the same two passes as over one batch, so one
/// replica gives the same bits as no combiner). Returns the element count per channel (all replicas).
@discardableResult
public func batchNormStatistics(_ x: UnsafePointer<Float>, batch: Int, channels: Int, spatial: Int,
                                mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>,
                                combine: ChannelSumCombiner? = nil) -> Int {
    let xs = SendablePointer(UnsafeMutablePointer(mutating: x))
    let ms = SendablePointer(mean), vs = SendablePointer(variance)
    guard let combine else {
        let m = Double(batch * spatial)
        splitWork(channels, picoseconds: batch * channels * spatial * 400) { c in
            let mu = channelSum(xs.pointer, batch: batch, channels: channels, spatial: spatial, channel: c) / m
            ms.pointer[c] = Float(mu)
            vs.pointer[c] = Float(channelSquares(xs.pointer, batch: batch, channels: channels, spatial: spatial, channel: c, mean: mu) / m)
        }
        return batch * spatial
    }
    // Sums (and the element count, last) combined over the replicas, then the squares.
    var sums = [Double](repeating: 0, count: channels + 1)
    sums[channels] = Double(batch * spatial)
    sums.withUnsafeMutableBufferPointer { buffer in
        let out = SendablePointer(buffer.baseAddress!)
        splitWork(channels, picoseconds: batch * channels * spatial * 200) { c in
            out.pointer[c] = channelSum(xs.pointer, batch: batch, channels: channels, spatial: spatial, channel: c)
        }
        combine(buffer)
    }
    let m = sums[channels]
    var squares = [Double](repeating: 0, count: channels)
    squares.withUnsafeMutableBufferPointer { buffer in
        let out = SendablePointer(buffer.baseAddress!)
        let totals = sums
        splitWork(channels, picoseconds: batch * channels * spatial * 200) { c in
            out.pointer[c] = channelSquares(xs.pointer, batch: batch, channels: channels, spatial: spatial, channel: c,
                                            mean: totals[c] / m)
        }
        combine(buffer)
    }
    for c in 0..<channels {
        mean[c] = Float(sums[c] / m)
        variance[c] = Float(squares[c] / m)
    }
    return Int(m)
}

/// Σ x over batch and spatial of channel `c`, in Double.
@inline(__always)
private func channelSum(_ x: UnsafeMutablePointer<Float>, batch: Int, channels: Int, spatial: Int, channel c: Int) -> Double {
    var sum = 0.0
    for n in 0..<batch { sum += blockSum(x + (n * channels + c) * spatial, spatial) }
    return sum
}

/// Σ (x − mean)² over batch and spatial of channel `c` (the vector part with the mean rounded to
/// Float, the tail in Double), in Double.
@inline(__always)
private func channelSquares(_ x: UnsafeMutablePointer<Float>, batch: Int, channels: Int, spatial: Int, channel c: Int,
                            mean mu: Double) -> Double {
    let muF = Float(mu)
    var squares = 0.0
    for n in 0..<batch {
        let p = x + (n * channels + c) * spatial
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
    return squares
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

/// Per channel: sumGrad[c] = Σ g, dot[c] = Σ g · (x − mean[c]); with `sums`, also the Double
/// values before rounding (sums[c] = Σ g, sums[channels + c] = the dot), for combining over replicas.
public func batchNormGradientSums(_ x: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>, batch: Int, channels: Int,
                                  spatial: Int, mean: UnsafePointer<Float>,
                                  sumGrad: UnsafeMutablePointer<Float>, dot: UnsafeMutablePointer<Float>,
                                  sums: UnsafeMutablePointer<Double>? = nil) {
    let doubles = sums.map { SendablePointer($0) }
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
        if let doubles {
            doubles.pointer[c] = sg
            doubles.pointer[channels + c] = sd
        }
    }
}

/// gradInput of batch norm. Training (batch statistics):
///   dx = (g − sumGrad/M − (x − mean) · invStd² · dot/M) · invStd · weight,  M = `count` (default
///   batch·spatial; over all replicas when the sums are);
/// evaluation (fixed statistics, `training` false): dx = g · invStd · weight.
public func batchNormBackwardInput(_ x: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>, batch: Int, channels: Int,
                                   spatial: Int, mean: UnsafePointer<Float>, invStd: UnsafePointer<Float>,
                                   weight: UnsafePointer<Float>?, sumGrad: UnsafePointer<Float>, dot: UnsafePointer<Float>,
                                   training: Bool, gradInput: UnsafeMutablePointer<Float>, count: Int? = nil) {
    let m = Float(count ?? batch * spatial)
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
