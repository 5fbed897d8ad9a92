/// `np.linalg.pinv` of the datasets' 4x4 float32 K, bit for bit.
///
/// The original computes `inv_K = np.linalg.pinv(K)` on a float32 K (datasets/mono_dataset.py).
/// NumPy gets there through an SVD whose round-off leaves e.g. -5.3e-11 where the exact inverse of
/// KITTI's 640x192 K has a zero (and a last-bit difference here and there elsewhere), so an exact
/// inverse is not what the original trains with. This replays NumPy step by step instead:
/// `u, s, vt = svd(K)` in float64 (`SingularValueDecomposition`: a port of `dgesdd` and the OpenBLAS
/// kernels it calls) rounded to float32, `s⁺ = 1/s` in float32 where `s > 1e-15·max(s)`, and
/// `vtᵀ @ (s⁺[:, None] * uᵀ)` in float32 as OpenBLAS's `sgemm` computes it. The bits match NumPy
/// with its bundled OpenBLAS on AVX2+FMA x86-64; CPUs without FMA run other kernels (Sandybridge)
/// with which NumPy itself gives other last bits. Any K works, skewed or not (folder datasets).
enum PseudoInverse {
    /// Row-major 4x4 in, row-major 4x4 out.
    static func pinv4x4(_ k: [Float]) -> [Float] {
        precondition(k.count == 16, "pinv4x4 takes a row-major 4x4 matrix")
        return pinv(k, order: 4)
    }

    /// `np.linalg.pinv` of a row-major n×n float32 matrix (n ≤ 7, the sizes the SVD port covers).
    /// A NaN input or an SVD that does not converge gives NaNs (NumPy raises "SVD did not converge").
    static func pinv(_ matrix: [Float], order n: Int) -> [Float] {
        // NumPy converts to float64 and hands LAPACK the matrix in Fortran order (column-major A ==
        // the row-major input); u, s and vt come back rounded to float32.
        var columnMajor = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n { columnMajor[i + j * n] = Double(matrix[i * n + j]) }
        }
        guard let svd = SingularValueDecomposition.dgesdd(columnMajor, order: n) else {
            return [Float](repeating: .nan, count: n * n)
        }
        let u = svd.u.map { Float($0) }
        let vt = svd.vt.map { Float($0) }
        let inverseSingularValues = reciprocalsAboveCutoff(svd.s.map { Float($0) })
        // multiply(s[..., newaxis], transpose(u)): B[k][j] = s⁺_k · U(j, k), one float32 product each.
        var scaledUT = [Float](repeating: 0, count: n * n)
        for k in 0..<n {
            for j in 0..<n { scaledUT[k * n + j] = inverseSingularValues[k] * u[j + k * n] }
        }
        return sgemmTransposedA(vt, scaledUT, order: n)
    }

    /// NumPy's default `rcond = 1e-15` (a float64 array): keep s where float64(s) > 1e-15·max(s),
    /// then `divide(1, s)` in float32; the rest become 0.
    static func reciprocalsAboveCutoff(_ s: [Float]) -> [Float] {
        let largest = s.max() ?? 0
        let cutoff = 1e-15 * Double(largest)
        return s.map { Double($0) > cutoff ? 1 / $0 : 0 }
    }

    /// `matmul(transpose(vt), b)` for column-major VT and row-major B, as OpenBLAS `sgemm` (Haswell
    /// kernel) computes it: per element one FMA chain over k in order, starting from +0; alpha = 1 and
    /// beta = 0 leave it unchanged. Row-major result.
    static func sgemmTransposedA(_ vt: [Float], _ b: [Float], order n: Int) -> [Float] {
        var result = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var accumulator: Float = 0
                for k in 0..<n {
                    // vt[k][i] is VT(k, i) = vt[k + i * n]; the kernel fuses each multiply-add (vfmadd231ps).
                    accumulator = accumulator.addingProduct(vt[k + i * n], b[k * n + j])
                }
                result[i * n + j] = accumulator
            }
        }
        return result
    }
}
