/// Single-precision general matrix multiply, row-major:
///   C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C
/// where op(X) is X or Xᵀ. `lda`, `ldb`, `ldc` are row strides (in elements) of the matrices as
/// stored: A is m×k (or k×m when `transposeA`), B is k×n (or n×k when `transposeB`).
/// With beta == 0, C is overwritten and its previous contents (even NaN) are ignored.
///
/// CONTRACT: this signature is stable; the implementation behind it is the packed, cache-blocked,
/// SIMD, multithreaded kernel (see SWIFT-PERFORMANCE-NOTES.md §2 and GEMMDriver.swift).
/// Thread-safe: concurrent calls each use their own packing buffers.
public func sgemm(
    transposeA: Bool, transposeB: Bool,
    m: Int, n: Int, k: Int,
    alpha: Float,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
) {
    sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
          beta: beta, c: c, ldc: ldc, isa: KernelDispatch.gemm)
}

/// `sgemm` on the micro-kernels of `isa` (tests compare the ISAs in one process).
func sgemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, isa: KernelISA
) {
    precondition(m >= 0 && n >= 0 && k >= 0, "sgemm: negative size m=\(m) n=\(n) k=\(k)")
    precondition(ldc >= n, "sgemm: ldc=\(ldc) < n=\(n)")
    if m == 0 || n == 0 { return }
    if k == 0 || alpha == 0 {
        scaleMatrix(c, rows: m, columns: n, ldc: ldc, by: beta)
        return
    }
    precondition(lda >= (transposeA ? m : k), "sgemm: lda=\(lda) too small (m=\(m) k=\(k) transposeA=\(transposeA))")
    precondition(ldb >= (transposeB ? k : n), "sgemm: ldb=\(ldb) too small (k=\(k) n=\(n) transposeB=\(transposeB))")
    let opA = StridedMatrix(base: a, rowStride: transposeA ? 1 : lda, columnStride: transposeA ? lda : 1)
    let opB = StridedMatrix(base: b, rowStride: transposeB ? 1 : ldb, columnStride: transposeB ? ldb : 1)
    if gemmCost(m: n, n: m, k: k, a: opB.transposed, b: opA.transposed, transposedOutput: true, isa: isa)
        < gemmCost(m: m, n: n, k: k, a: opA, b: opB, transposedOutput: false, isa: isa) {
        // Cᵀ = op(B)ᵀ·op(A)ᵀ: same storage, swapped roles; C is written through its transpose.
        gemmDriver(m: n, n: m, k: k, alpha: alpha, a: opB.transposed, b: opA.transposed, beta: beta,
                   c: GEMMOutput(base: c, rowStride: 1, columnStride: ldc), isa: isa)
    } else {
        gemmDriver(m: m, n: n, k: k, alpha: alpha, a: opA, b: opB, beta: beta,
                   c: GEMMOutput(base: c, rowStride: ldc, columnStride: 1), isa: isa)
    }
}

/// A rough cost (in flop-equivalents) of running C = A·B in this orientation: the flops of the
/// zero-padded 6×16 tiles plus packing. Packing A is free when its rows are read in place (narrow
/// B), cheap-ish when it is copied, and gathering a B stored transposed costs ~6× a row-wise copy.
/// Writing C through its transpose goes element by element, once per depth block.
/// Picks, e.g., Cᵀ for a weight gradient dY·colᵀ with a long K (no packing of the big operand at
/// all) but keeps C for 512×120×4608 (C's 120 columns waste less than gathering Aᵀ into B panels)
/// and for 512×4608×120 with B transposed (one depth block: the transposed stores would dominate).
func gemmCost(m: Int, n: Int, k: Int, a: StridedMatrix, b: StridedMatrix, transposedOutput: Bool,
              isa: KernelISA) -> Double {
    let mr = GEMMTile.rows(isa), nr = GEMMTile.columns
    let padded = Double((m + mr - 1) / mr * mr) * Double((n + nr - 1) / nr * nr) * Double(k) * 2
    let aDirect = a.columnStride == 1 && n <= GEMMBlocking.directRowsMaxColumns
    let packA = aDirect ? 0 : Double(m) * Double(k) * 24
    let packB = Double(k) * Double(n) * (b.columnStride == 1 ? 4 : 24)
    let depthBlocks = Double((k + GEMMBlocking.kcMax - 1) / GEMMBlocking.kcMax)
    let store = transposedOutput ? Double(m) * Double(n) * depthBlocks * 64 : 0
    return padded + packA + packB + store
}

/// C = beta·C over an m×n block (beta == 0 writes zeros, ignoring NaN).
func scaleMatrix(_ c: UnsafeMutablePointer<Float>, rows: Int, columns: Int, ldc: Int, by beta: Float) {
    if beta == 1 { return }
    for i in 0..<rows {
        let row = c + i * ldc
        if beta == 0 {
            row.update(repeating: 0, count: columns)
        } else {
            for j in 0..<columns { row[j] *= beta }
        }
    }
}
