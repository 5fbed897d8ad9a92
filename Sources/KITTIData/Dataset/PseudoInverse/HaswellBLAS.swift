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
