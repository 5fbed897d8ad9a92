// Matrix products: (m,k)·(k,n), and batched (…,m,k)·(…,k,n) with broadcasting of the batch
// dimensions. Transposed views feed the GEMM without copies. Gradients: dA = G·Bᵀ, dB = Aᵀ·G.

/// Matrix product with torch.matmul batching for rank ≥ 2 operands (rank 1 is not supported).
public func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.rank >= 2 && b.rank >= 2 && a.dtype == .float32 && b.dtype == .float32
                 && a.shape[a.rank - 1] == b.shape[b.rank - 2] && a.backend === b.backend,
                 "matmul: shapes \(a.shape) and \(b.shape) (need (…,m,k) and (…,k,n), float32)")
    guard let batch = Shape.broadcast(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2))) else {
        preconditionFailure("matmul: batch dimensions of \(a.shape) and \(b.shape) do not broadcast")
    }
    let m = a.shape[a.rank - 2], n = b.shape[b.rank - 1]
    let raw = a.backend.matmul(batchedMatrices(a, batch), batchedMatrices(b, batch))
    let outShape = batch + [m, n]
    let y = Tensor(storage: raw.storage, shape: outShape, strides: Shape.contiguousStrides(outShape), offset: raw.offset, dtype: .float32)
    guard let tape = Tape.active(a, b) else { return y }
    let av = a.detached(), bv = b.detached(), sa = a.shape, sb = b.shape
    return tape.record("matmul", y, [a, b]) { g, need in
        [need[0] ? matmul(g, bv.transposed()).summed(toShape: sa) : nil,
         need[1] ? matmul(av.transposed(), g).summed(toShape: sb) : nil]
    }
}

/// `t` as a rank-3 (batchCount or 1, rows, cols) view for the backend, keeping the matrix
/// strides (so transposes are free); batch dimensions are merged, copying only if they cannot be.
private func batchedMatrices(_ t: Tensor, _ batch: [Int]) -> Tensor {
    let r = t.rank, rows = t.shape[r - 2], cols = t.shape[r - 1]
    let rs = t.strides[r - 2], cs = t.strides[r - 1]
    if Shape.count(Array(t.shape.dropLast(2))) == 1 {
        return Tensor(storage: t.storage, shape: [1, rows, cols], strides: [0, rs, cs], offset: t.offset, dtype: t.dtype)
    }
    let e = t.detached().expanded(to: batch + [rows, cols])
    let count = Shape.count(batch)
    // Mergeable when every batch stride equals the next one times the next size (sizes > 1 only).
    var dims = Array(0..<batch.count).filter { batch[$0] != 1 }
    var mergeable = true
    for i in 0..<max(dims.count - 1, 0) where e.strides[dims[i]] != e.strides[dims[i + 1]] * batch[dims[i + 1]] {
        mergeable = false
    }
    if mergeable, let last = dims.popLast() {
        return Tensor(storage: e.storage, shape: [count, rows, cols], strides: [e.strides[last], rs, cs], offset: e.offset, dtype: e.dtype)
    }
    let c = t.backend.contiguousCopy(e)
    return Tensor(storage: c.storage, shape: [count, rows, cols], strides: [rows * cols, cols, 1], offset: c.offset, dtype: c.dtype)
}
