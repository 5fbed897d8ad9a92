// Reductions over contiguous data viewed as (outer, reduced, inner): sums with several SIMD
// accumulators (SWIFT-PERFORMANCE-NOTES.md pitfall 4), and min along an axis with the FIRST
// minimum's index, plus its backward.

/// Σ x[i] over `count` contiguous elements: SIMD16 × 4 accumulators per block of 4096, the block
/// sums added in Double (accuracy close to a pairwise sum, independent of the thread count).
public func sumAll(_ x: UnsafePointer<Float>, count: Int) -> Float {
    let block = 4096
    let blocks = (count + block - 1) / block
    if blocks <= 1 { return Float(blockSum(x, count)) }
    var partial = [Double](repeating: 0, count: blocks)
    partial.withUnsafeMutableBufferPointer { out in
        let o = SendablePointer(out.baseAddress!), xs = SendablePointer(UnsafeMutablePointer(mutating: x))
        let perChunk = 64
        let chunks = (blocks + perChunk - 1) / perChunk
        splitWork(chunks, picoseconds: count * 150) { chunk in
            for b in (chunk * perChunk)..<min(blocks, (chunk + 1) * perChunk) {
                o.pointer[b] = blockSum(xs.pointer + b * block, min(block, count - b * block))
            }
        }
    }
    return Float(partial.reduce(0, +))
}

/// Σ of n contiguous values: runs of 256 summed in Float by 4 SIMD16 accumulators (4 values per
/// lane, then a tree over accumulators and lanes), the runs added in Double. Error ~ a few ulp
/// of each run, so long sums of same-sign values do not drift.
@inline(__always)
func blockSum(_ x: UnsafePointer<Float>, _ n: Int) -> Double {
    var total = 0.0
    var i = 0
    let raw = UnsafeRawPointer(x)
    while i + 256 <= n {
        var a0 = SIMD16<Float>(repeating: 0), a1 = a0, a2 = a0, a3 = a0
        for j in stride(from: i, to: i + 256, by: 64) {
            a0 += raw.loadUnaligned(fromByteOffset: j * 4, as: SIMD16<Float>.self)
            a1 += raw.loadUnaligned(fromByteOffset: (j + 16) * 4, as: SIMD16<Float>.self)
            a2 += raw.loadUnaligned(fromByteOffset: (j + 32) * 4, as: SIMD16<Float>.self)
            a3 += raw.loadUnaligned(fromByteOffset: (j + 48) * 4, as: SIMD16<Float>.self)
        }
        let v = (a0 + a1) + (a2 + a3)
        let h = v.lowHalf + v.highHalf
        let q = h.lowHalf + h.highHalf
        total += Double((q.lowHalf + q.highHalf).sum())
        i += 256
    }
    var tail: Float = 0
    while i < n { tail += x[i]; i += 1 }
    return total + Double(tail)
}

/// out[o, j] = Σ_r x[o, r, j] for x contiguous (outer, reduced, inner), out contiguous (outer, inner).
public func sumAxis(_ x: UnsafePointer<Float>, outer: Int, reduced: Int, inner: Int, out: UnsafeMutablePointer<Float>) {
    let xs = SendablePointer(UnsafeMutablePointer(mutating: x)), os = SendablePointer(out)
    if inner == 1 {
        let perChunk = max(1, (1 << 16) / max(reduced, 1))
        let chunks = (outer + perChunk - 1) / perChunk
        splitWork(chunks, picoseconds: outer * reduced * 150) { chunk in
            for o in (chunk * perChunk)..<min(outer, (chunk + 1) * perChunk) {
                os.pointer[o] = Float(blockSum(xs.pointer + o * reduced, reduced))
            }
        }
        return
    }
    splitWork(outer, picoseconds: outer * reduced * inner * 200) { o in
        let dst = os.pointer + o * inner
        let src = xs.pointer + o * reduced * inner
        dst.update(from: src, count: inner)
        for r in 1..<max(reduced, 1) {
            let row = src + r * inner
            for j in 0..<inner { dst[j] += row[j] }
        }
        if reduced == 0 { dst.update(repeating: 0, count: inner) }
    }
}

/// values[o, j] = min_r x[o, r, j] and indices[o, j] = the FIRST r attaining it (NaN wins, like torch).
public func minAxis(_ x: UnsafePointer<Float>, outer: Int, reduced: Int, inner: Int,
                    values: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int64>) {
    precondition(reduced > 0, "minAxis: cannot reduce an empty axis")
    let block = 4096
    let blocks = (inner + block - 1) / block
    let xs = SendablePointer(UnsafeMutablePointer(mutating: x)), vs = SendablePointer(values), ids = SendablePointer(indices)
    splitWork(outer * blocks, picoseconds: outer * reduced * inner * 400) { item in
        let o = item / blocks, j0 = (item % blocks) * block, n = min(block, inner - j0)
        let src = xs.pointer + (o &* reduced &* inner &+ j0)
        let v = vs.pointer + (o &* inner &+ j0), idx = ids.pointer + (o &* inner &+ j0)
        let running = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        defer { running.deallocate() }
        v.update(from: src, count: n)
        running.update(repeating: 0, count: n)
        for r in 1..<reduced {
            let row = src + r &* inner
            // Explicit full-width blends (LLVM would emit masked stores, microcoded on AMD).
            var j = 0
            while j &+ 8 <= n {
                let c = UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self)
                let m = UnsafeRawPointer(v + j).loadUnaligned(as: SIMD8<Float>.self)
                let take = (c .< m) .| ((c .!= c) .& (m .== m))
                UnsafeMutableRawPointer(v + j).storeBytes(of: m.replacing(with: c, where: take), as: SIMD8<Float>.self)
                let bits = unsafeBitCast(take, to: SIMD8<Int32>.self)
                let old = UnsafeRawPointer(running + j).loadUnaligned(as: SIMD8<Int32>.self)
                UnsafeMutableRawPointer(running + j).storeBytes(of: old ^ ((old ^ SIMD8(repeating: Int32(r))) & bits), as: SIMD8<Int32>.self)
                j &+= 8
            }
            while j < n {
                let c = row[j], m = v[j]
                if c < m || (c.isNaN && !m.isNaN) { v[j] = c; running[j] = Int32(r) }
                j &+= 1
            }
        }
        for j in 0..<n { idx[j] = Int64(running[j]) }
    }
}

/// gradInput[o, r, j] = (r == indices[o, j]) ? gradOutput[o, j] : 0. One select pass per row r
/// (no separate zeroing pass), in parallel over (o, blocks of j).
public func minAxisBackward(gradOutput: UnsafePointer<Float>, indices: UnsafePointer<Int64>, outer: Int, reduced: Int,
                            inner: Int, gradInput: UnsafeMutablePointer<Float>) {
    let block = 4096
    let blocks = (inner + block - 1) / block
    let gos = SendablePointer(UnsafeMutablePointer(mutating: gradOutput)), ids = SendablePointer(UnsafeMutablePointer(mutating: indices))
    let gis = SendablePointer(gradInput)
    splitWork(outer * blocks, picoseconds: outer * reduced * inner * 300) { item in
        let o = item / blocks, j0 = (item % blocks) * block, n = min(block, inner - j0)
        let g = gos.pointer + (o &* inner &+ j0), idx = ids.pointer + (o &* inner &+ j0)
        for r in 0..<reduced {
            let dst = gis.pointer + ((o &* reduced &+ r) &* inner &+ j0)
            let rr = Int64(r)
            for j in 0..<n { dst[j] = idx[j] == rr ? g[j] : 0 }
        }
    }
}
