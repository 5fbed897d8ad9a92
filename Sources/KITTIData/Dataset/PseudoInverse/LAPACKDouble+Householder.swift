// dgesdd's Householder steps: bidiagonalisation (DGEBD2) and applying the reflectors (DORM2R, DORML2).

extension LAPACKDouble {
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
