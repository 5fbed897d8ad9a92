// Copies between strided views (materialising permutes, slices and broadcasts; writing into slices),
// conversions between element types, and fills.

/// dst[index] = src[index] for every index of `shape`, with element strides for each side.
/// `T` is any trivially copyable element type (Float, Int64, Int32, UInt8). Inlinable, like the
/// other generic helpers here, so callers in other modules get code specialised for T (unspecialised
/// generic code copies element by element through value witnesses).
@inlinable
public func stridedCopy<T>(shape: [Int], src: UnsafePointer<T>, srcStrides: [Int],
                           dst: UnsafeMutablePointer<T>, dstStrides: [Int]) {
    var plan = BroadcastPlan(shape: shape, aStrides: srcStrides, bStrides: dstStrides)
    // A copy may visit elements in any order: when the innermost extent is small (a permute to
    // channels-last such as (B,2,H,W) → (B,H,W,2)), iterate innermost over the dimension the
    // source reads contiguously (else the largest one), so rows are long.
    if plan.shape.count > 1 && plan.shape[plan.shape.count - 1] < 16 {
        let candidates = Array(0..<plan.shape.count)
        let inner = candidates.first { plan.aStrides[$0] == 1 } ?? candidates.max { plan.shape[$0] < plan.shape[$1] }!
        var order = candidates.filter { $0 != inner }
        order.append(inner)
        plan = BroadcastPlan(shape: order.map { plan.shape[$0] }, aStrides: order.map { plan.aStrides[$0] },
                             bStrides: order.map { plan.bStrides[$0] })
    }
    let n = plan.shape[plan.shape.count - 1]
    let ss = plan.aStrides[plan.shape.count - 1], ds = plan.bStrides[plan.shape.count - 1]
    let rows = plan.rows
    let rowsPerChunk = max(1, (1 << 16) / max(n, 1))
    let chunks = (rows + rowsPerChunk - 1) / rowsPerChunk
    let sp = SendablePointer(UnsafeMutablePointer(mutating: src)), dp = SendablePointer(dst)
    splitWork(chunks, picoseconds: plan.count * 500) { chunk in
        let rowEnd = min(rows, (chunk + 1) * rowsPerChunk)
        for row in (chunk * rowsPerChunk)..<rowEnd {
            let (os, od) = plan.rowOffsets(row)
            let s = sp.pointer + os, d = dp.pointer + od
            if ss == 1 && ds == 1 {
                d.update(from: s, count: n)
            } else if ss == 0 {
                let v = s[0]
                for i in 0..<n { d[i &* ds] = v }
            } else {
                for i in 0..<n { d[i &* ds] = s[i &* ss] }
            }
        }
    }
}

/// dst[i] = Float(src[i]) over a strided source, contiguous destination.
@inlinable
public func convertToFloat<T: BinaryInteger>(shape: [Int], src: UnsafePointer<T>, srcStrides: [Int],
                                             dst: UnsafeMutablePointer<Float>) {
    forEachStrided(shape: shape, strides: srcStrides) { i, o in dst[i] = Float(src[o]) }
}

/// dst[i] = T(src[i]) (truncation toward zero) over a strided Float source, contiguous destination.
@inlinable
public func convertFromFloat<T: BinaryInteger>(shape: [Int], src: UnsafePointer<Float>, srcStrides: [Int],
                                               dst: UnsafeMutablePointer<T>) {
    forEachStrided(shape: shape, strides: srcStrides) { i, o in
        let v = src[o]
        dst[i] = v.isFinite ? T(v.rounded(.towardZero)) : 0
    }
}

/// Calls `body(linearIndex, stridedOffset)` for every index of `shape` in row-major order.
@inlinable @inline(__always)
public func forEachStrided(shape: [Int], strides: [Int], _ body: (Int, Int) -> Void) {
    let count = shape.reduce(1, *)
    if count == 0 { return }
    if shape.isEmpty { body(0, 0); return }
    var index = [Int](repeating: 0, count: shape.count)
    var offset = 0
    for i in 0..<count {
        body(i, offset)
        var d = shape.count - 1
        while d >= 0 {
            index[d] += 1; offset += strides[d]
            if index[d] < shape[d] { break }
            offset -= strides[d] * shape[d]
            index[d] = 0
            d -= 1
        }
    }
}

/// Fills `count` elements with `value`.
@inlinable
public func fill<T>(_ dst: UnsafeMutablePointer<T>, count: Int, value: T) {
    dst.update(repeating: value, count: count)
}
