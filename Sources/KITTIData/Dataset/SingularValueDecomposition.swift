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

#if (arch(i386) || arch(x86_64)) && !os(Windows) && !os(Android)
/// `dnrm2`'s x87 accumulator (64-bit significand).
typealias X87Extended = Float80
#else
/// No x87 here: sum in Double (can differ from OpenBLAS in the last float64 bit).
typealias X87Extended = Double
#endif

/// OpenBLAS 0.3.x x86-64 Haswell-kernel double-precision BLAS (also Zen), reduced to the code
/// paths that operands of at most 7 rows take. Each function says which kernel it mirrors; the
/// LAPACK port calls nothing else. Verified routine by routine against the library through ctypes.
enum HaswellBLAS {
    /// `dnrm2` (`nrm2.S`, x87): squares summed in extended precision in four accumulators (a whole
    /// block of 8 feeds a0…a3 twice, the rest goes to a0), ((a2 + a0) + a1) + a3, `fsqrt`, one
    /// rounding to Double.
    static func nrm2(_ n: Int, _ x: [Double], _ offset: Int, _ inc: Int) -> Double {
        if n <= 0 { return 0 }
        if n == 1 { return abs(x[offset]) }  // interface/nrm2.c returns |x| without the kernel
        var accumulators = [X87Extended](repeating: 0, count: 4)
        func square(_ i: Int) -> X87Extended {
            let v = X87Extended(x[offset + i * inc])
            return v * v
        }
        var i = 0
        for _ in 0..<(n >> 3) {
            for r in 0..<8 { accumulators[r % 4] += square(i + r) }
            i += 8
        }
        while i < n {
            accumulators[0] += square(i)
            i += 1
        }
        let sum = ((accumulators[2] + accumulators[0]) + accumulators[1]) + accumulators[3]
        return Double(sum.squareRoot())
    }

    /// `dscal`: one product per element.
    static func scal(_ n: Int, _ alpha: Double, _ x: inout [Double], _ offset: Int, _ inc: Int) {
        for i in 0..<n { x[offset + i * inc] *= alpha }
    }

    /// `drot` (`drot.c`, AVX2 microkernel and scalar tail alike):
    /// x' = fma(c, x, s·y), y' = fma(c, y, −(s·x)).
    static func rot(_ n: Int, _ a: inout [Double], x: Int, y: Int, inc: Int, c: Double, s: Double) {
        for i in 0..<n {
            let xi = a[x + i * inc]
            let yi = a[y + i * inc]
            a[x + i * inc] = (s * yi).addingProduct(c, xi)      // vfmadd231pd: c·x + (s·y)
            a[y + i * inc] = (-(s * xi)).addingProduct(c, yi)   // vfmsub231pd: c·y − (s·x)
        }
    }

    /// `dswap`.
    static func swap(_ n: Int, _ a: inout [Double], x: Int, y: Int, inc: Int) {
        for i in 0..<n { a.swapAt(x + i * inc, y + i * inc) }
    }

    /// `dgemv('T')` with alpha 1, beta 0 (`dgemv_t_4.c`), m < 8 rows: returns y = Aᵀx.
    /// Rows 0–3 go through 2-lane (SSE) or 4-lane (FMA from +0) kernels that both reduce as
    /// (p0 + p2) + (p1 + p3); the last m mod 4 rows are C that GCC contracted to FMAs:
    /// y + fma(a2,x2, fma(a0,x0, a1·x1)), y + fma(a0,x0, a1·x1), or fma(a0,x0, y).
    static func gemvT(_ m: Int, _ n: Int, _ a: [Double], _ aOffset: Int, _ lda: Int,
                      _ x: [Double], _ xOffset: Int, _ incx: Int) -> [Double] {
        precondition(m < 8, "gemvT covers the NB = 4 block plus a tail only")
        var y = [Double](repeating: 0, count: n)  // beta = 0: SCAL_K zeroes y
        func element(_ i: Int, _ j: Int) -> Double { a[aOffset + i + j * lda] }
        func xi(_ i: Int) -> Double { x[xOffset + i * incx] }
        let blockRows = m & ~3
        for j in 0..<n {
            if blockRows == 4 {
                let lanes = (0..<4).map { 0 + element($0, j) * xi($0) }  // lanes start at +0
                y[j] = y[j] + ((lanes[0] + lanes[2]) + (lanes[1] + lanes[3]))
            }
            let r = blockRows
            switch m - blockRows {
            case 3:  // y += a0·x0 + a1·x1 + a2·x2, contracted by GCC
                let pair = (element(r + 1, j) * xi(r + 1)).addingProduct(element(r, j), xi(r))
                y[j] = y[j] + pair.addingProduct(element(r + 2, j), xi(r + 2))
            case 2:  // y += a0·x0 + a1·x1, contracted by GCC
                y[j] = y[j] + (element(r + 1, j) * xi(r + 1)).addingProduct(element(r, j), xi(r))
            case 1:  // y += a0·x0, contracted by GCC
                y[j] = y[j].addingProduct(element(r, j), xi(r))
            default:
                break
            }
        }
        return y
    }

    /// `dgemv('N')` with alpha 1, beta 0 and a strided x (`dgemv_n_4.c`, inc_x ≠ 1), m < 8 rows:
    /// returns y = Ax. Rows 0–3: each group of 4 columns is the FMA microkernel
    /// (fma(a2,x2, a0·x0) + fma(a3,x3, a1·x1), then fma(alpha, ·, y)); each leftover column is
    /// y += a·x. Rows 4...: temp += a·x column by column (no FMA), then y += alpha·temp.
    static func gemvN(_ m: Int, _ n: Int, _ a: [Double], _ aOffset: Int, _ lda: Int,
                      _ x: [Double], _ xOffset: Int, _ incx: Int) -> [Double] {
        precondition(m < 8 && incx != 1, "gemvN covers the strided-x path with NB = 4 plus a tail only")
        var y = [Double](repeating: 0, count: m)  // beta = 0: SCAL_K zeroes y
        func element(_ i: Int, _ j: Int) -> Double { a[aOffset + i + j * lda] }
        func xj(_ j: Int) -> Double { x[xOffset + j * incx] }
        let blockRows = m & ~3
        if blockRows == 4 {
            let groups = n >> 2
            for g in 0..<groups {
                let c = 4 * g
                for i in 0..<4 {
                    // vmulpd, vfmadd231pd twice, vaddpd, then vfmadd231pd with alpha = 1.
                    let even = (element(i, c) * xj(c)).addingProduct(element(i, c + 2), xj(c + 2))
                    let odd = (element(i, c + 1) * xj(c + 1)).addingProduct(element(i, c + 3), xj(c + 3))
                    y[i] = y[i].addingProduct(1, even + odd)
                }
            }
            for j in (4 * groups)..<n {
                for i in 0..<4 { y[i] = y[i] + element(i, j) * xj(j) }  // 4x1 kernel: mulpd, addpd
            }
        }
        for i in blockRows..<m {
            var temp: Double = 0
            for j in 0..<n { temp = temp + element(i, j) * xj(j) }  // C tail, not contracted
            y[i] = y[i] + 1 * temp
        }
        return y
    }

    /// `dger` (generic `ger.c` over the `daxpy` kernel's scalar loop, < 16 rows):
    /// A[:, j] += (alpha·y[j])·x, each product rounded before the add.
    static func ger(_ m: Int, _ n: Int, _ alpha: Double, x: [Double], _ xOffset: Int, _ incx: Int,
                    y: [Double], _ yOffset: Int, _ incy: Int,
                    a: inout [Double], _ aOffset: Int, _ lda: Int) {
        guard m > 0 && n > 0 && alpha != 0 else { return }
        for j in 0..<n {
            let temp = alpha * y[yOffset + j * incy]
            for i in 0..<m {
                let index = aOffset + i + j * lda
                a[index] = a[index] + temp * x[xOffset + i * incx]
            }
        }
    }
}

/// The reference-LAPACK (3.12) routines on `dgesdd`'s path, in float64 without FMA, as gfortran
/// compiles them for OpenBLAS. Vectors inside `dbdsqr` are 1-based (index 0 unused) so the port
/// reads like the Fortran.
enum LAPACKDouble {
    /// DLAMCH('E'): relative machine epsilon for rounding to nearest.
    static let epsilon: Double = 0x1p-53
    /// DLAMCH('P') = eps · base.
    static let precision: Double = 0x1p-52
    /// DLAMCH('S'): safe minimum.
    static let safeMinimum: Double = 0x1p-1022

    // MARK: Auxiliaries

    /// DLANGE('M'): largest |a_ij| (NaN wins).
    static func dlangeMax(_ a: [Double]) -> Double {
        var value: Double = 0
        for x in a where value < abs(x) || x.isNaN { value = abs(x) }
        return value
    }

    /// DLASCL('G'): multiply by cto/cfrom in steps that cannot over- or underflow.
    static func dlascl(from cfrom: Double, to cto: Double, _ a: inout [Double]) {
        let smlnum = safeMinimum
        let bignum = 1 / smlnum
        var cfromc = cfrom
        var ctoc = cto
        var done = false
        while !done {
            let cfrom1 = cfromc * smlnum
            let mul: Double
            if cfrom1 == cfromc {
                mul = ctoc / cfromc
                done = true
            } else {
                let cto1 = ctoc / bignum
                if cto1 == ctoc {
                    mul = ctoc
                    done = true
                    cfromc = 1
                } else if abs(cfrom1) > abs(ctoc) && ctoc != 0 {
                    mul = smlnum
                    cfromc = cfrom1
                } else if abs(cto1) > abs(cfromc) {
                    mul = bignum
                    ctoc = cto1
                } else {
                    mul = ctoc / cfromc
                    done = true
                    if mul == 1 { return }
                }
            }
            for i in a.indices { a[i] *= mul }
        }
    }

    /// Fortran SIGN(a, b): |a| with the sign of b.
    static func sign(_ a: Double, _ b: Double) -> Double { Double(signOf: b, magnitudeOf: a) }

    /// DLAPY2: sqrt(x² + y²) without needless overflow.
    static func dlapy2(_ x: Double, _ y: Double) -> Double {
        if x.isNaN { return x }
        if y.isNaN { return y }
        let w = max(abs(x), abs(y))
        let z = min(abs(x), abs(y))
        if z == 0 || w > Double.greatestFiniteMagnitude { return w }
        let ratio = z / w
        return w * (1 + ratio * ratio).squareRoot()
    }

    /// DLARTG (LAPACK ≥ 3.10, la_xlartg): plane rotation with c·f + s·g = r, −s·f + c·g = 0.
    static func dlartg(_ f: Double, _ g: Double) -> (c: Double, s: Double, r: Double) {
        let safmin: Double = 0x1p-1022
        let safmax: Double = 0x1p1022
        let rtmin = safmin.squareRoot()
        let rtmax = (safmax / 2).squareRoot()
        let f1 = abs(f)
        let g1 = abs(g)
        if g == 0 { return (1, 0, f) }
        if f == 0 { return (0, sign(1, g), g1) }
        if f1 > rtmin && f1 < rtmax && g1 > rtmin && g1 < rtmax {
            let d = (f * f + g * g).squareRoot()
            let r = sign(d, f)
            return (f1 / d, g / r, r)
        }
        let u = min(safmax, max(safmin, f1, g1))
        let fs = f / u
        let gs = g / u
        let d = (fs * fs + gs * gs).squareRoot()
        let r = sign(d, f)
        return (abs(fs) / d, gs / r, r * u)
    }

    /// DLAS2: singular values of [[f, g], [0, h]].
    static func dlas2(_ f: Double, _ g: Double, _ h: Double) -> (ssmin: Double, ssmax: Double) {
        let fa = abs(f), ga = abs(g), ha = abs(h)
        let fhmn = min(fa, ha)
        let fhmx = max(fa, ha)
        if fhmn == 0 {
            if fhmx == 0 { return (0, ga) }
            let ratio = min(fhmx, ga) / max(fhmx, ga)
            return (0, max(fhmx, ga) * (1 + ratio * ratio).squareRoot())
        }
        if ga < fhmx {
            let sum = 1 + fhmn / fhmx
            let difference = (fhmx - fhmn) / fhmx
            let ratio = ga / fhmx
            let au = ratio * ratio
            let c = 2 / ((sum * sum + au).squareRoot() + (difference * difference + au).squareRoot())
            return (fhmn * c, fhmx / c)
        }
        let au = fhmx / ga
        if au == 0 { return ((fhmn * fhmx) / ga, ga) }
        let sum = 1 + fhmn / fhmx
        let difference = (fhmx - fhmn) / fhmx
        let p = sum * au
        let q = difference * au
        let c = 1 / ((1 + p * p).squareRoot() + (1 + q * q).squareRoot())
        let ssmin = (fhmn * c) * au
        return (ssmin + ssmin, ga / (c + c))
    }

    /// DLASV2: SVD of the 2×2 upper triangular [[f, g], [0, h]].
    static func dlasv2(_ f: Double, _ g: Double, _ h: Double)
        -> (ssmin: Double, ssmax: Double, snr: Double, csr: Double, snl: Double, csl: Double) {
        var ft = f, fa = abs(f), ht = h, ha = abs(h)
        var pmax = 1
        let swapped = ha > fa
        if swapped {
            pmax = 3
            (ft, ht) = (ht, ft)
            (fa, ha) = (ha, fa)
        }
        let gt = g, ga = abs(g)
        var ssmin: Double, ssmax: Double, clt: Double, crt: Double, slt: Double, srt: Double
        if ga == 0 {
            ssmin = ha; ssmax = fa
            clt = 1; crt = 1; slt = 0; srt = 0
        } else {
            var gasmal = true
            ssmin = 0; ssmax = 0; clt = 0; crt = 0; slt = 0; srt = 0
            if ga > fa {
                pmax = 2
                if fa / ga < epsilon {
                    gasmal = false
                    ssmax = ga
                    ssmin = ha > 1 ? fa / (ga / ha) : (fa / ga) * ha
                    clt = 1
                    slt = ht / gt
                    srt = 1
                    crt = ft / gt
                }
            }
            if gasmal {
                let d = fa - ha
                var l = d == fa ? 1 : d / fa
                let m = gt / ft
                var t = 2 - l
                let mm = m * m
                let tt = t * t
                let s = (tt + mm).squareRoot()
                let r = l == 0 ? abs(m) : (l * l + mm).squareRoot()
                let a = 0.5 * (s + r)
                ssmin = ha / a
                ssmax = fa * a
                if mm == 0 {
                    t = l == 0 ? sign(2, ft) * sign(1, gt) : gt / sign(d, ft) + m / t
                } else {
                    t = (m / (s + t) + m / (r + l)) * (1 + a)
                }
                l = (t * t + 4).squareRoot()
                crt = 2 / l
                srt = t / l
                clt = (crt + srt * m) / a
                slt = (ht / ft) * srt / a
            }
        }
        let (csl, snl, csr, snr) = swapped ? (srt, crt, slt, clt) : (clt, slt, crt, srt)
        var tsign: Double = 1
        if pmax == 1 { tsign = sign(1, csr) * sign(1, csl) * sign(1, f) }
        if pmax == 2 { tsign = sign(1, snr) * sign(1, csl) * sign(1, g) }
        if pmax == 3 { tsign = sign(1, snr) * sign(1, snl) * sign(1, h) }
        return (sign(ssmin, tsign * sign(1, f) * sign(1, h)), sign(ssmax, tsign), snr, csr, snl, csl)
    }

    /// DLASR with PIVOT = 'V': apply the plane rotations (c[j], s[j]), j = 1...k−1 (1-based),
    /// to rows j, j+1 (left) or columns j, j+1 (right) of the m×n block of `a` at `offset`.
    static func dlasr(left: Bool, forward: Bool, _ m: Int, _ n: Int, c: [Double], s: [Double],
                      _ a: inout [Double], _ offset: Int, _ lda: Int) {
        guard m > 0 && n > 0 else { return }
        let count = left ? m - 1 : n - 1
        guard count > 0 else { return }
        let order = forward ? Array(1...count) : Array((1...count).reversed())
        for j in order {
            let ctemp = c[j], stemp = s[j]
            if ctemp == 1 && stemp == 0 { continue }
            let lines = left ? n : m
            for i in 0..<lines {
                // left: rows j, j+1 of column i; right: columns j, j+1 of row i (0-based j−1, j).
                let first = left ? offset + (j - 1) + i * lda : offset + i + (j - 1) * lda
                let second = left ? first + 1 : first + lda
                let temp = a[second]
                a[second] = ctemp * temp - stemp * a[first]
                a[first] = stemp * temp + ctemp * a[first]
            }
        }
    }

    // MARK: Bidiagonal SVD

    /// DBDSDC('U', 'I') for n ≤ SMLSIZ (25): U and VT start as I, DLASDQ does the work, then the
    /// values are sorted in decreasing order. Returns false when the QR iteration did not converge.
    static func dbdsdc(_ n: Int, d: inout [Double], e: inout [Double], u: inout [Double], ldu: Int,
                       vt: inout [Double], ldvt: Int) -> Bool {
        if n == 1 {
            u[0] = sign(1, d[0])
            vt[0] = 1
            d[0] = abs(d[0])
            return true
        }
        for i in 0..<n {
            for j in 0..<n {
                u[i + j * ldu] = i == j ? 1 : 0
                vt[i + j * ldvt] = i == j ? 1 : 0
            }
        }
        guard dlasdq(n, d: &d, e: &e, u: &u, ldu: ldu, vt: &vt, ldvt: ldvt) else { return false }
        for i in 0..<(n - 1) {
            var kk = i
            var p = d[i]
            for j in (i + 1)..<n where d[j] > p {
                kk = j
                p = d[j]
            }
            if kk != i {
                d[kk] = d[i]
                d[i] = p
                HaswellBLAS.swap(n, &u, x: i * ldu, y: kk * ldu, inc: 1)
                HaswellBLAS.swap(n, &vt, x: i, y: kk, inc: ldvt)
            }
        }
        return true
    }

    /// DLASDQ('U', SQRE = 0, NCVT = NRU = n): DBDSQR, then LAPACK's ascending selection sort.
    static func dlasdq(_ n: Int, d: inout [Double], e: inout [Double], u: inout [Double], ldu: Int,
                       vt: inout [Double], ldvt: Int) -> Bool {
        guard dbdsqr(n, d: &d, e: &e, vt: &vt, ldvt: ldvt, u: &u, ldu: ldu) else { return false }
        for i in 0..<n {
            var isub = i
            var smin = d[i]
            for j in (i + 1)..<n where d[j] < smin {
                isub = j
                smin = d[j]
            }
            if isub != i {
                d[isub] = d[i]
                d[i] = smin
                HaswellBLAS.swap(n, &vt, x: isub, y: i, inc: ldvt)
                HaswellBLAS.swap(n, &u, x: isub * ldu, y: i * ldu, inc: 1)
            }
        }
        return true
    }

    /// DBDSQR('U', n, NCVT = n, NRU = n, NCC = 0): implicit zero-shift / shifted QR sweeps on the
    /// upper bidiagonal (d, e), accumulating the rotations into VT (rows) and U (columns). Uses
    /// 1-based d, e and rotation buffers internally. TOL > 0 here, so the TOL < 0 branches are gone.
    static func dbdsqr(_ n: Int, d d0: inout [Double], e e0: inout [Double], vt: inout [Double], ldvt: Int,
                       u: inout [Double], ldu: Int) -> Bool {
        if n == 0 { return true }
        var d = [0] + d0
        var e = [0] + e0 + [0]
        defer {
            d0 = Array(d[1...n])
            e0 = Array(e[1..<n])
        }
        if n > 1 {
            guard dbdsqrIterate(n, &d, &e, &vt, ldvt, &u, ldu) else { return false }
        }
        // Make the singular values positive (flip the VT row), then sort them in decreasing order.
        for i in 1...n where d[i] < 0 {
            d[i] = -d[i]
            HaswellBLAS.scal(n, -1, &vt, i - 1, ldvt)
        }
        for i in stride(from: 1, to: n, by: 1) {
            var isub = 1
            var smin = d[1]
            for j in 2...(n + 1 - i) where d[j] <= smin {
                isub = j
                smin = d[j]
            }
            let last = n + 1 - i
            if isub != last {
                d[isub] = d[last]
                d[last] = smin
                HaswellBLAS.swap(n, &vt, x: isub - 1, y: last - 1, inc: ldvt)
                HaswellBLAS.swap(n, &u, x: (isub - 1) * ldu, y: (last - 1) * ldu, inc: 1)
            }
        }
        return true
    }

    /// The main loop of DBDSQR (labels 60–150), on 1-based d and e.
    private static func dbdsqrIterate(_ n: Int, _ d: inout [Double], _ e: inout [Double],
                                      _ vt: inout [Double], _ ldvt: Int, _ u: inout [Double], _ ldu: Int) -> Bool {
        let maxitr = 6
        let eps = epsilon
        let unfl = safeMinimum
        // TOLMUL = MAX(10, MIN(100, EPS**(-1/8))); glibc's pow(2^-53, -0.125), as gfortran calls it.
        let tolmul: Double = max(10, min(100, 0x1.8ace5422aa0dbp+6))
        let tol = tolmul * eps
        var sminoa = abs(d[1])
        if sminoa != 0 {
            var mu = sminoa
            for i in 2...n {
                mu = abs(d[i]) * (mu / (mu + abs(e[i - 1])))
                sminoa = min(sminoa, mu)
                if sminoa == 0 { break }
            }
        }
        sminoa = sminoa / Double(n).squareRoot()
        let thresh = max(tol * sminoa, Double(maxitr) * (Double(n) * (Double(n) * unfl)))

        let maxitdivn = maxitr * n
        var iterdivn = 0
        var iter = -1
        var oldll = -1
        var oldm = -1
        var idir = 0
        var m = n
        mainLoop: while m > 1 {
            if iter >= n {
                iter -= n
                iterdivn += 1
                if iterdivn >= maxitdivn { return false }
            }
            // Find the diagonal block [ll, m] to work on.
            var smax = abs(d[m])
            var ll = 0
            var split = false
            for lll in 1..<m {
                ll = m - lll
                let abss = abs(d[ll])
                let abse = abs(e[ll])
                if abse <= thresh {
                    split = true
                    break
                }
                smax = max(smax, abss, abse)
            }
            if split {
                e[ll] = 0
                if ll == m - 1 {
                    m -= 1
                    continue mainLoop
                }
            } else {
                ll = 0
            }
            ll += 1
            if ll == m - 1 {
                // 2×2 block: DLASV2, then rotate the VT rows and U columns (DROT, FMA kernel).
                let r = dlasv2(d[m - 1], e[m - 1], d[m])
                d[m - 1] = r.ssmax
                e[m - 1] = 0
                d[m] = r.ssmin
                HaswellBLAS.rot(n, &vt, x: m - 2, y: m - 1, inc: ldvt, c: r.csr, s: r.snr)
                HaswellBLAS.rot(n, &u, x: (m - 2) * ldu, y: (m - 1) * ldu, inc: 1, c: r.csl, s: r.snl)
                m -= 2
                continue mainLoop
            }
            if ll > oldm || m < oldll {
                idir = abs(d[ll]) >= abs(d[m]) ? 1 : 2
            }
            // Convergence tests.
            var smin: Double
            if idir == 1 {
                if abs(e[m - 1]) <= abs(tol) * abs(d[m]) {
                    e[m - 1] = 0
                    continue mainLoop
                }
                var mu = abs(d[ll])
                smin = mu
                for lll in ll..<m {
                    if abs(e[lll]) <= tol * mu {
                        e[lll] = 0
                        continue mainLoop
                    }
                    mu = abs(d[lll + 1]) * (mu / (mu + abs(e[lll])))
                    smin = min(smin, mu)
                }
            } else {
                if abs(e[ll]) <= abs(tol) * abs(d[ll]) {
                    e[ll] = 0
                    continue mainLoop
                }
                var mu = abs(d[m])
                smin = mu
                for lll in stride(from: m - 1, through: ll, by: -1) {
                    if abs(e[lll]) <= tol * mu {
                        e[lll] = 0
                        continue mainLoop
                    }
                    mu = abs(d[lll]) * (mu / (mu + abs(e[lll])))
                    smin = min(smin, mu)
                }
            }
            oldll = ll
            oldm = m
            // Shift: zero if it would ruin relative accuracy, else the smaller value of the end 2×2.
            var shift: Double = 0
            if !(Double(n) * tol * (smin / smax) <= max(eps, 0.01 * tol)) {
                let sll: Double
                if idir == 1 {
                    sll = abs(d[ll])
                    shift = dlas2(d[m - 1], e[m - 1], d[m]).ssmin
                } else {
                    sll = abs(d[m])
                    shift = dlas2(d[ll], e[ll], d[ll + 1]).ssmin
                }
                if sll > 0 {
                    let ratio = shift / sll
                    if ratio * ratio < eps { shift = 0 }
                }
            }
            iter += m - ll
            if shift == 0 && idir == 1 {
                zeroShiftSweepDown(ll, m, n, thresh, &d, &e, &vt, ldvt, &u, ldu)
            } else if shift == 0 {
                zeroShiftSweepUp(ll, m, n, thresh, &d, &e, &vt, ldvt, &u, ldu)
            } else if idir == 1 {
                shiftedSweepDown(ll, m, n, shift, thresh, &d, &e, &vt, ldvt, &u, ldu)
            } else {
                shiftedSweepUp(ll, m, n, shift, thresh, &d, &e, &vt, ldvt, &u, ldu)
            }
        }
        return true
    }

    /// Zero-shift QR sweep over the block [ll, m], top to bottom (DBDSQR's choice when a shift would
    /// spoil the relative accuracy of small singular values).
    private static func zeroShiftSweepDown(_ ll: Int, _ m: Int, _ n: Int, _ thresh: Double,
        _ d: inout [Double], _ e: inout [Double], _ vt: inout [Double], _ ldvt: Int, _ u: inout [Double], _ ldu: Int
    ) {
        let count = m - ll + 1
        // Rotation buffers (1-based): WORK(1), WORK(NM1+1), WORK(NM12+1), WORK(NM13+1) of the Fortran.
        var cs1 = [Double](repeating: 0, count: n + 1)
        var sn1 = cs1, cs2 = cs1, sn2 = cs1
        var cs: Double = 1, sn: Double = 0, oldcs: Double = 1, oldsn: Double = 0
        for i in ll..<m {
            let first = dlartg(d[i] * cs, e[i])
            cs = first.c
            sn = first.s
            if i > ll { e[i - 1] = oldsn * first.r }
            let second = dlartg(oldcs * first.r, d[i + 1] * sn)
            oldcs = second.c
            oldsn = second.s
            d[i] = second.r
            cs1[i - ll + 1] = cs; sn1[i - ll + 1] = sn
            cs2[i - ll + 1] = oldcs; sn2[i - ll + 1] = oldsn
        }
        let h = d[m] * cs
        d[m] = h * oldcs
        e[m - 1] = h * oldsn
        dlasr(left: true, forward: true, count, n, c: cs1, s: sn1, &vt, ll - 1, ldvt)
        dlasr(left: false, forward: true, n, count, c: cs2, s: sn2, &u, (ll - 1) * ldu, ldu)
        if abs(e[m - 1]) <= thresh { e[m - 1] = 0 }
    }

    /// Zero-shift QR sweep over the block [ll, m], bottom to top.
    private static func zeroShiftSweepUp(_ ll: Int, _ m: Int, _ n: Int, _ thresh: Double,
        _ d: inout [Double], _ e: inout [Double], _ vt: inout [Double], _ ldvt: Int, _ u: inout [Double], _ ldu: Int
    ) {
        let count = m - ll + 1
        // Rotation buffers (1-based): WORK(1), WORK(NM1+1), WORK(NM12+1), WORK(NM13+1) of the Fortran.
        var cs1 = [Double](repeating: 0, count: n + 1)
        var sn1 = cs1, cs2 = cs1, sn2 = cs1
        var cs: Double = 1, sn: Double = 0, oldcs: Double = 1, oldsn: Double = 0
        for i in stride(from: m, through: ll + 1, by: -1) {
            let first = dlartg(d[i] * cs, e[i - 1])
            cs = first.c
            sn = first.s
            if i < m { e[i] = oldsn * first.r }
            let second = dlartg(oldcs * first.r, d[i - 1] * sn)
            oldcs = second.c
            oldsn = second.s
            d[i] = second.r
            cs1[i - ll] = cs; sn1[i - ll] = -sn
            cs2[i - ll] = oldcs; sn2[i - ll] = -oldsn
        }
        let h = d[ll] * cs
        d[ll] = h * oldcs
        e[ll] = h * oldsn
        dlasr(left: true, forward: false, count, n, c: cs2, s: sn2, &vt, ll - 1, ldvt)
        dlasr(left: false, forward: false, n, count, c: cs1, s: sn1, &u, (ll - 1) * ldu, ldu)
        if abs(e[ll]) <= thresh { e[ll] = 0 }
    }

    /// Shifted QR sweep (chasing the bulge) over the block [ll, m], top to bottom.
    private static func shiftedSweepDown(_ ll: Int, _ m: Int, _ n: Int, _ shift: Double, _ thresh: Double,
        _ d: inout [Double], _ e: inout [Double], _ vt: inout [Double], _ ldvt: Int, _ u: inout [Double], _ ldu: Int
    ) {
        let count = m - ll + 1
        // Rotation buffers (1-based): WORK(1), WORK(NM1+1), WORK(NM12+1), WORK(NM13+1) of the Fortran.
        var cs1 = [Double](repeating: 0, count: n + 1)
        var sn1 = cs1, cs2 = cs1, sn2 = cs1
        var f = (abs(d[ll]) - shift) * (sign(1, d[ll]) + shift / d[ll])
        var g = e[ll]
        for i in ll..<m {
            let right = dlartg(f, g)
            if i > ll { e[i - 1] = right.r }
            f = right.c * d[i] + right.s * e[i]
            e[i] = right.c * e[i] - right.s * d[i]
            g = right.s * d[i + 1]
            d[i + 1] = right.c * d[i + 1]
            let leftRotation = dlartg(f, g)
            d[i] = leftRotation.r
            f = leftRotation.c * e[i] + leftRotation.s * d[i + 1]
            d[i + 1] = leftRotation.c * d[i + 1] - leftRotation.s * e[i]
            if i < m - 1 {
                g = leftRotation.s * e[i + 1]
                e[i + 1] = leftRotation.c * e[i + 1]
            }
            cs1[i - ll + 1] = right.c; sn1[i - ll + 1] = right.s
            cs2[i - ll + 1] = leftRotation.c; sn2[i - ll + 1] = leftRotation.s
        }
        e[m - 1] = f
        dlasr(left: true, forward: true, count, n, c: cs1, s: sn1, &vt, ll - 1, ldvt)
        dlasr(left: false, forward: true, n, count, c: cs2, s: sn2, &u, (ll - 1) * ldu, ldu)
        if abs(e[m - 1]) <= thresh { e[m - 1] = 0 }
    }

    /// Shifted QR sweep over the block [ll, m], bottom to top.
    private static func shiftedSweepUp(_ ll: Int, _ m: Int, _ n: Int, _ shift: Double, _ thresh: Double,
        _ d: inout [Double], _ e: inout [Double], _ vt: inout [Double], _ ldvt: Int, _ u: inout [Double], _ ldu: Int
    ) {
        let count = m - ll + 1
        // Rotation buffers (1-based): WORK(1), WORK(NM1+1), WORK(NM12+1), WORK(NM13+1) of the Fortran.
        var cs1 = [Double](repeating: 0, count: n + 1)
        var sn1 = cs1, cs2 = cs1, sn2 = cs1
        var f = (abs(d[m]) - shift) * (sign(1, d[m]) + shift / d[m])
        var g = e[m - 1]
        for i in stride(from: m, through: ll + 1, by: -1) {
            let right = dlartg(f, g)
            if i < m { e[i] = right.r }
            f = right.c * d[i] + right.s * e[i - 1]
            e[i - 1] = right.c * e[i - 1] - right.s * d[i]
            g = right.s * d[i - 1]
            d[i - 1] = right.c * d[i - 1]
            let leftRotation = dlartg(f, g)
            d[i] = leftRotation.r
            f = leftRotation.c * e[i - 1] + leftRotation.s * d[i - 1]
            d[i - 1] = leftRotation.c * d[i - 1] - leftRotation.s * e[i - 1]
            if i > ll + 1 {
                g = leftRotation.s * e[i - 2]
                e[i - 2] = leftRotation.c * e[i - 2]
            }
            cs1[i - ll] = right.c; sn1[i - ll] = -right.s
            cs2[i - ll] = leftRotation.c; sn2[i - ll] = -leftRotation.s
        }
        e[ll] = f
        if abs(e[ll]) <= thresh { e[ll] = 0 }
        dlasr(left: true, forward: false, count, n, c: cs2, s: sn2, &vt, ll - 1, ldvt)
        dlasr(left: false, forward: false, n, count, c: cs1, s: sn1, &u, (ll - 1) * ldu, ldu)
    }

    // MARK: Householder reflectors

    /// DLARFG: reflector H with H·[alpha; x] = [beta; 0]; overwrites alpha with beta and x with v.
    static func dlarfg(_ n: Int, _ alpha: inout Double, _ x: inout [Double], _ offset: Int, _ inc: Int) -> Double {
        if n <= 1 { return 0 }
        var xnorm = HaswellBLAS.nrm2(n - 1, x, offset, inc)
        if xnorm == 0 { return 0 }
        var beta = -sign(dlapy2(alpha, xnorm), alpha)
        let safmin = safeMinimum / epsilon
        var knt = 0
        if abs(beta) < safmin {
            let rsafmn = 1 / safmin
            repeat {
                knt += 1
                HaswellBLAS.scal(n - 1, rsafmn, &x, offset, inc)
                beta *= rsafmn
                alpha *= rsafmn
            } while abs(beta) < safmin && knt < 20
            xnorm = HaswellBLAS.nrm2(n - 1, x, offset, inc)
            beta = -sign(dlapy2(alpha, xnorm), alpha)
        }
        let tau = (beta - alpha) / beta
        HaswellBLAS.scal(n - 1, 1 / (alpha - beta), &x, offset, inc)
        for _ in 0..<knt { beta *= safmin }
        alpha = beta
        return tau
    }

    /// ILADLC: last non-zero column of the m×n block.
    static func iladlc(_ m: Int, _ n: Int, _ c: [Double], _ offset: Int, _ ldc: Int) -> Int {
        if n == 0 { return 0 }
        if c[offset + (n - 1) * ldc] != 0 || c[offset + m - 1 + (n - 1) * ldc] != 0 { return n }
        for j in stride(from: n - 1, through: 0, by: -1) {
            for i in 0..<m where c[offset + i + j * ldc] != 0 { return j + 1 }
        }
        return 0
    }

    /// ILADLR: last non-zero row of the m×n block.
    static func iladlr(_ m: Int, _ n: Int, _ c: [Double], _ offset: Int, _ ldc: Int) -> Int {
        if m == 0 { return 0 }
        if c[offset + m - 1] != 0 || c[offset + m - 1 + (n - 1) * ldc] != 0 { return m }
        var last = 0
        for j in 0..<n {
            var i = m
            while i >= 1 && c[offset + i - 1 + j * ldc] == 0 { i -= 1 }
            last = max(last, i)
        }
        return last
    }

    /// DLARF: C := H·C (left) or C·H (right), H = I − tau·v·vᵀ, trimmed to the non-zero part of v
    /// and C as LAPACK does (the trimmed sizes pick the BLAS kernel paths). `v` is read from a copy.
    static func dlarf(left: Bool, _ m: Int, _ n: Int, v: [Double], _ vOffset: Int, _ incv: Int, tau: Double,
                      c: inout [Double], _ cOffset: Int, _ ldc: Int) {
        guard tau != 0 else { return }
        var lastv = left ? m : n
        var i = vOffset + (lastv - 1) * incv
        while lastv > 0 && v[i] == 0 {
            lastv -= 1
            i -= incv
        }
        guard lastv > 0 else { return }
        if left {
            let lastc = iladlc(lastv, n, c, cOffset, ldc)
            guard lastc > 0 else { return }
            let work = HaswellBLAS.gemvT(lastv, lastc, c, cOffset, ldc, v, vOffset, incv)
            HaswellBLAS.ger(lastv, lastc, -tau, x: v, vOffset, incv, y: work, 0, 1, a: &c, cOffset, ldc)
        } else {
            let lastc = iladlr(m, lastv, c, cOffset, ldc)
            guard lastc > 0 else { return }
            let work = HaswellBLAS.gemvN(lastc, lastv, c, cOffset, ldc, v, vOffset, incv)
            HaswellBLAS.ger(lastc, lastv, -tau, x: work, 0, 1, y: v, vOffset, incv, a: &c, cOffset, ldc)
        }
    }

    /// DGEBD2 (m ≥ n): reduce A to upper bidiagonal form Qᵀ·A·P = B; reflectors stay in A.
    static func dgebd2(_ m: Int, _ n: Int, _ a: inout [Double], lda: Int)
        -> (d: [Double], e: [Double], tauq: [Double], taup: [Double]) {
        precondition(m >= n)
        var d = [Double](repeating: 0, count: n)
        var e = [Double](repeating: 0, count: max(n - 1, 0))
        var tauq = [Double](repeating: 0, count: n)
        var taup = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let diagonal = i + i * lda
            var alpha = a[diagonal]
            tauq[i] = dlarfg(m - i, &alpha, &a, min(i + 1, m - 1) + i * lda, 1)
            d[i] = alpha
            a[diagonal] = 1
            if i < n - 1 {
                let v = a
                dlarf(left: true, m - i, n - i - 1, v: v, diagonal, 1, tau: tauq[i], c: &a, diagonal + lda, lda)
            }
            a[diagonal] = d[i]
            guard i < n - 1 else { continue }
            let superdiagonal = diagonal + lda
            var beta = a[superdiagonal]
            taup[i] = dlarfg(n - i - 1, &beta, &a, i + min(i + 2, n - 1) * lda, lda)
            e[i] = beta
            a[superdiagonal] = 1
            let v = a
            dlarf(left: false, m - i - 1, n - i - 1, v: v, superdiagonal, lda, tau: taup[i],
                  c: &a, superdiagonal + 1, lda)
            a[superdiagonal] = e[i]
        }
        return (d, e, tauq, taup)
    }

    /// DORM2R('L', 'N'): C := Q·C, Q = H(1)···H(k) from DGEBD2's column reflectors.
    static func dorm2rLeftNoTranspose(_ m: Int, _ n: Int, k: Int, a: [Double], lda: Int, tau: [Double],
                                      c: inout [Double], ldc: Int) {
        var v = a
        for i in stride(from: k - 1, through: 0, by: -1) {
            let diagonal = i + i * lda
            let saved = v[diagonal]
            v[diagonal] = 1
            dlarf(left: true, m - i, n, v: v, diagonal, 1, tau: tau[i], c: &c, i, ldc)
            v[diagonal] = saved
        }
    }

    /// DORML2('R', 'N'): C := C·P over the row reflectors stored from `aOffset` (DORMBR('P','R','T')
    /// hands DORMLQ A(1,2) and C(1,2) when nq = k).
    static func dorml2RightNoTranspose(_ m: Int, _ n: Int, k: Int, a: [Double], aOffset: Int, lda: Int,
                                       tau: [Double], c: inout [Double], cOffset: Int, ldc: Int) {
        var v = a
        for i in stride(from: k - 1, through: 0, by: -1) {
            let diagonal = aOffset + i + i * lda
            let saved = v[diagonal]
            v[diagonal] = 1
            dlarf(left: false, m, n - i, v: v, diagonal, lda, tau: tau[i], c: &c, cOffset + i * ldc, ldc)
            v[diagonal] = saved
        }
    }
}
