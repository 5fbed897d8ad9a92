/// The singular value decomposition behind `np.linalg.pinv` of a float32 matrix, reproduced bit
/// for bit for small square matrices on AVX2+FMA x86-64 with NumPy's bundled OpenBLAS (checked
/// against NumPy 2.4.6 / scipy-openblas 0.3.31, Haswell kernels).
///
/// NumPy's linalg computes in double even for float32 input (`_commonType`): `svd` runs LAPACK's
/// `dgesdd` (jobz 'S') on the float64 copy and rounds U, s and Vᵀ to float32. For an n×n matrix
/// `dgesdd` is `dgebd2` (Householder bidiagonalisation), `dbdsdc` → `dlasdq` → `dbdsqr` (QR sweeps
/// on the bidiagonal) and `dorm2r`/`dorml2` (apply the reflectors to the singular vectors).
/// OpenBLAS builds that LAPACK part from the reference Fortran for plain x86-64 (no FMA: every
/// `a*b + c` rounds twice), ported line for line in `LAPACKDouble`. The BLAS routines it calls are
/// OpenBLAS's kernels for the detected core; their summation order and FMA use decide the last
/// bits, and `HaswellBLAS` mirrors them for the operand sizes that occur here. Other kernels
/// (SkylakeX's `dger`/`dgemv_n`, Sandybridge's without FMA) can move the float64 result by an ulp,
/// which after rounding to float32 almost never shows.
///
/// Matrices are column-major (`a[i + j * lda]`) as in LAPACK; routines keep LAPACK's names so the
/// port can be read against the Fortran.
enum SingularValueDecomposition {
    /// `u` and `vt` are n×n column-major, `s` is in decreasing order.
    struct Result {
        var u: [Double]
        var s: [Double]
        var vt: [Double]
    }

    /// Largest order the kernel emulation covers (`HaswellBLAS.gemvT`/`gemvN` take fewer than 8 rows).
    static let maximumOrder = 7

    /// `dgesdd(jobz: 'S')` of the column-major n×n matrix `a` (path 5: bidiagonalise in place);
    /// nil where `dgesdd` reports failure (NaN input, no convergence).
    static func dgesdd(_ a: [Double], order n: Int) -> Result? {
        precondition(n >= 1 && n <= maximumOrder && a.count == n * n, "the SVD port covers 1x1 ... 7x7")
        var a = a
        let anrm = LAPACKDouble.dlangeMax(a)
        if anrm.isNaN { return nil }
        // SMLNUM = sqrt(DLAMCH('S')) / DLAMCH('P') = 2^-459, BIGNUM = 2^459.
        let smlnum = LAPACKDouble.safeMinimum.squareRoot() / LAPACKDouble.precision
        let bignum = 1 / smlnum
        var scaledTo: Double?
        if anrm > 0 && anrm < smlnum {
            scaledTo = smlnum
        } else if anrm > bignum {
            scaledTo = bignum
        }
        if let target = scaledTo { LAPACKDouble.dlascl(from: anrm, to: target, &a) }

        let bidiagonal = LAPACKDouble.dgebd2(n, n, &a, lda: n)
        var d = bidiagonal.d
        var e = bidiagonal.e
        var u = [Double](repeating: 0, count: n * n)
        var vt = [Double](repeating: 0, count: n * n)
        guard LAPACKDouble.dbdsdc(n, d: &d, e: &e, u: &u, ldu: n, vt: &vt, ldvt: n) else { return nil }
        // DORMBR('Q', 'L', 'N'): U := Q · U.
        LAPACKDouble.dorm2rLeftNoTranspose(n, n, k: n, a: a, lda: n, tau: bidiagonal.tauq, c: &u, ldc: n)
        // DORMBR('P', 'R', 'T') with nq == k: DORMLQ on A(1,2) and VT(1,2) with n-1 reflectors.
        if n > 1 {
            LAPACKDouble.dorml2RightNoTranspose(n, n - 1, k: n - 1, a: a, aOffset: n, lda: n,
                                                tau: bidiagonal.taup, c: &vt, cOffset: n, ldc: n)
        }
        if let target = scaledTo { LAPACKDouble.dlascl(from: target, to: anrm, &d) }
        return Result(u: u, s: d, vt: vt)
    }
}
