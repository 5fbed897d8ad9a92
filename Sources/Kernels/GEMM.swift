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
    if gemmPrefersTransposedProblem(m: m, n: n) {
        // Cᵀ = op(B)ᵀ·op(A)ᵀ: same storage, swapped roles; C is written through its transpose.
        gemmDriver(m: n, n: m, k: k, alpha: alpha, a: opB.transposed, b: opA.transposed, beta: beta,
                   c: GEMMOutput(base: c, rowStride: 1, columnStride: ldc))
    } else {
        gemmDriver(m: m, n: n, k: k, alpha: alpha, a: opA, b: opB, beta: beta,
                   c: GEMMOutput(base: c, rowStride: ldc, columnStride: 1))
    }
}

/// Whether computing Cᵀ wastes clearly less of the 6×16 register tiles on edges (e.g. n = 120:
/// 120 = 20·6 rows exactly, but 7.5 panels of 16 columns).
func gemmPrefersTransposedProblem(m: Int, n: Int) -> Bool {
    func padded(_ rows: Int, _ columns: Int) -> Int {
        ((rows + GEMMTile.rows - 1) / GEMMTile.rows * GEMMTile.rows)
            * ((columns + GEMMTile.columns - 1) / GEMMTile.columns * GEMMTile.columns)
    }
    return padded(n, m) * 100 < padded(m, n) * 97
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
