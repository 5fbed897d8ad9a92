// Seeded N(0,1) noise, counter-based so it is parallel and independent of the thread count (the
// automask tie-break noise of `trainer.py Trainer.compute_losses`, `torch.randn(...) * 0.00001`, is
// 4.4M draws per scale at 640x192 batch 12).
//
// Element i of a call with `key` is a pure function of (key, i): pair p = 16⌊i/32⌋ + (i mod 16)
// takes the 64-bit SplitMix64 output for the state key + (p + 1)·γ (i.e. the p-th output of the
// SplitMix64 stream seeded with `key`), whose high 24 bits give u1 ∈ (0, 1] and the next 24 bits
// u2 ∈ [0, 1); Box–Muller turns the pair into r·cos 2πu2 (element at lane i mod 16 of the block's
// first half) and r·sin 2πu2 (second half), r = √(−2 ln u1). log and sin/cos are SIMD
// polynomials (error ≲ 2e-7 relative to Double), so a block is one vector pass.

/// The two uniforms of pair `p`: u1 ∈ (0, 1] and u2 ∈ [0, 1), 24 bits each.
@inline(__always)
public func normalNoiseUniforms(key: UInt64, pair p: UInt64) -> (Float, Float) {
    let z = SplitMix64.output(seed: key, index: p)
    return (Float((z >> 40) + 1) * 0x1p-24, Float((z >> 16) & 0xFF_FFFF) * 0x1p-24)
}

/// out[i] = mean + standardDeviation · N(0,1)_i for i in 0..<count (see the file comment).
public func fillNormal(_ out: UnsafeMutablePointer<Float>, count: Int, key: UInt64, mean: Float, standardDeviation: Float) {
    let blocksPerChunk = 2048   // 64K elements per work item
    let blocks = (count + 31) / 32
    let chunks = (blocks + blocksPerChunk - 1) / blocksPerChunk
    let outs = SendablePointer(out)
    splitWork(chunks, picoseconds: count * 1500) { chunk in
        var tail = [Float](repeating: 0, count: 32)
        for b in (chunk * blocksPerChunk)..<min(blocks, (chunk + 1) * blocksPerChunk) {
            let start = b * 32
            var (first, second) = normalBlock(key: key, block: UInt64(b))
            first = first * standardDeviation + mean
            second = second * standardDeviation + mean
            if start + 32 <= count {
                UnsafeMutableRawPointer(outs.pointer + start).storeBytes(of: first, as: SIMD16<Float>.self)
                UnsafeMutableRawPointer(outs.pointer + start + 16).storeBytes(of: second, as: SIMD16<Float>.self)
            } else {
                for l in 0..<16 { tail[l] = first[l]; tail[16 + l] = second[l] }
                for i in start..<count { outs.pointer[i] = tail[i - start] }
            }
        }
    }
}

/// The 32 standard normals of block `block`: cosines (elements 0..<16) and sines (16..<32).
@inline(__always)
func normalBlock(key: UInt64, block: UInt64) -> (SIMD16<Float>, SIMD16<Float>) {
    var u1 = SIMD16<Float>(), u2 = SIMD16<Float>()
    for l in 0..<16 {
        let (a, b) = normalNoiseUniforms(key: key, pair: block &* 16 &+ UInt64(l))
        u1[l] = a; u2[l] = b
    }
    let r = squareRoot(-2 * fastLogUnit(u1))
    // cos 2πu2 = −cos 2πt and sin 2πu2 = −sin 2πt for t = u2 − 1/2 ∈ [−1/2, 1/2).
    let t = u2 - 0.5
    var tc = t + 0.25
    tc.replace(with: tc - 1, where: tc .>= 0.5)
    return (-r * sinTurns(tc), -r * sinTurns(t))
}

/// ln x for x ∈ (0, 1] (normal floats): x = m·2^e with m ∈ [√½, √2), then Cephes' logf polynomial.
@inline(__always)
func fastLogUnit(_ x: SIMD16<Float>) -> SIMD16<Float> {
    let bits = unsafeBitCast(x, to: SIMD16<Int32>.self)
    var m = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F80_0000, to: SIMD16<Float>.self)   // [1, 2)
    // e via the 1.5·2^23 trick: exponent field − 127 as a float.
    let magic = SIMD16<Float>(repeating: 12_582_912)
    var e = unsafeBitCast(unsafeBitCast(magic, to: SIMD16<Int32>.self) &+ ((bits &>> 23) &- 127), to: SIMD16<Float>.self) - magic
    let big = m .> 1.414_213_56
    m.replace(with: m * 0.5, where: big)
    e.replace(with: e + 1, where: big)
    let f = m - 1
    let z = f * f
    var p = SIMD16<Float>(repeating: 7.037_683_629_2e-2)
    p = SIMD16(repeating: -1.151_461_031_0e-1).addingProduct(p, f)
    p = SIMD16(repeating: 1.167_699_874_0e-1).addingProduct(p, f)
    p = SIMD16(repeating: -1.242_014_084_6e-1).addingProduct(p, f)
    p = SIMD16(repeating: 1.424_932_278_7e-1).addingProduct(p, f)
    p = SIMD16(repeating: -1.666_805_766_5e-1).addingProduct(p, f)
    p = SIMD16(repeating: 2.000_071_476_5e-1).addingProduct(p, f)
    p = SIMD16(repeating: -2.499_999_399_3e-1).addingProduct(p, f)
    p = SIMD16(repeating: 3.333_333_117_4e-1).addingProduct(p, f)
    var y = p * f * z
    y = y.addingProduct(e, SIMD16(repeating: -2.121_944_40e-4))
    y = y.addingProduct(z, SIMD16(repeating: -0.5))
    return (f + y).addingProduct(e, SIMD16(repeating: 0.693_359_375))
}

/// sin 2πt for t ∈ [−1/2, 1/2): reflected into [−1/4, 1/4], then the odd Taylor series to x¹¹
/// (truncation error < 6e-8 at |x| = π/2).
@inline(__always)
func sinTurns(_ t: SIMD16<Float>) -> SIMD16<Float> {
    var a = t
    a.replace(with: 0.5 - t, where: t .> 0.25)
    a.replace(with: -0.5 - t, where: t .< -0.25)
    let x = a * (2 * Float.pi)
    let x2 = x * x
    var p = SIMD16<Float>(repeating: -1 / 39_916_800)
    p = SIMD16(repeating: 1 / 362_880).addingProduct(p, x2)
    p = SIMD16(repeating: -1 / 5040).addingProduct(p, x2)
    p = SIMD16(repeating: 1 / 120).addingProduct(p, x2)
    p = SIMD16(repeating: -1 / 6).addingProduct(p, x2)
    return x.addingProduct(x * x2, p)
}

/// √x lane by lane for x ≥ 0 (a fixed-size loop LLVM turns into vsqrtps; SIMD16.squareRoot()
/// is a per-lane libcall).
@inline(__always)
func squareRoot(_ x: SIMD16<Float>) -> SIMD16<Float> {
    var r = x
    for l in 0..<16 { r[l] = max(x[l], 0).squareRoot() }
    return r
}
