/// Single-precision general matrix multiply, row-major:
///   C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C
/// where op(X) is X or Xᵀ. `lda`, `ldb`, `ldc` are row strides (in elements) of the matrices as
/// stored: A is m×k (or k×m when `transposeA`), B is k×n (or n×k when `transposeB`).
/// With beta == 0, C is overwritten and its previous contents (even NaN) are ignored.
///
/// CONTRACT: this signature is stable; the implementation behind it is the packed, cache-blocked,
/// SIMD, multithreaded kernel (see SWIFT-PERFORMANCE-NOTES.md §2).
public func sgemm(
    transposeA: Bool, transposeB: Bool,
    m: Int, n: Int, k: Int,
    alpha: Float,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
) {
    // Naive reference implementation (placeholder until the blocked kernel lands).
    for i in 0..<m {
        for j in 0..<n {
            var sum: Float = 0
            for p in 0..<k {
                let av = transposeA ? a[p * lda + i] : a[i * lda + p]
                let bv = transposeB ? b[j * ldb + p] : b[p * ldb + j]
                sum += av * bv
            }
            let old = beta == 0 ? 0 : beta * c[i * ldc + j]
            c[i * ldc + j] = alpha * sum + old
        }
    }
}
