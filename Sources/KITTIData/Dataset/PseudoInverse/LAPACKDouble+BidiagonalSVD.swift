// dgesdd's bidiagonal SVD: DBDSDC -> DLASDQ -> DBDSQR (QR sweeps), as reference LAPACK 3.12.

extension LAPACKDouble {
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
        var rotations = SweepRotations(n)
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
            rotations.record(i - ll + 1, vt: (cs, sn), u: (oldcs, oldsn))
        }
        let h = d[m] * cs
        d[m] = h * oldcs
        e[m - 1] = h * oldsn
        rotations.apply(forward: true, ll, m, n, vt: &vt, ldvt, u: &u, ldu)
        if abs(e[m - 1]) <= thresh { e[m - 1] = 0 }
    }

    /// Zero-shift QR sweep over the block [ll, m], bottom to top.
    private static func zeroShiftSweepUp(_ ll: Int, _ m: Int, _ n: Int, _ thresh: Double,
        _ d: inout [Double], _ e: inout [Double], _ vt: inout [Double], _ ldvt: Int, _ u: inout [Double], _ ldu: Int
    ) {
        var rotations = SweepRotations(n)
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
            rotations.record(i - ll, vt: (oldcs, -oldsn), u: (cs, -sn))
        }
        let h = d[ll] * cs
        d[ll] = h * oldcs
        e[ll] = h * oldsn
        rotations.apply(forward: false, ll, m, n, vt: &vt, ldvt, u: &u, ldu)
        if abs(e[ll]) <= thresh { e[ll] = 0 }
    }

    /// Shifted QR sweep (chasing the bulge) over the block [ll, m], top to bottom.
    private static func shiftedSweepDown(_ ll: Int, _ m: Int, _ n: Int, _ shift: Double, _ thresh: Double,
        _ d: inout [Double], _ e: inout [Double], _ vt: inout [Double], _ ldvt: Int, _ u: inout [Double], _ ldu: Int
    ) {
        var rotations = SweepRotations(n)
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
            rotations.record(i - ll + 1, vt: (right.c, right.s), u: (leftRotation.c, leftRotation.s))
        }
        e[m - 1] = f
        rotations.apply(forward: true, ll, m, n, vt: &vt, ldvt, u: &u, ldu)
        if abs(e[m - 1]) <= thresh { e[m - 1] = 0 }
    }

    /// Shifted QR sweep over the block [ll, m], bottom to top.
    private static func shiftedSweepUp(_ ll: Int, _ m: Int, _ n: Int, _ shift: Double, _ thresh: Double,
        _ d: inout [Double], _ e: inout [Double], _ vt: inout [Double], _ ldvt: Int, _ u: inout [Double], _ ldu: Int
    ) {
        var rotations = SweepRotations(n)
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
            rotations.record(i - ll, vt: (leftRotation.c, -leftRotation.s), u: (right.c, -right.s))
        }
        e[ll] = f
        if abs(e[ll]) <= thresh { e[ll] = 0 }
        rotations.apply(forward: false, ll, m, n, vt: &vt, ldvt, u: &u, ldu)
    }
}

/// The rotations one QR sweep records, 1-based (DBDSQR's WORK(1), WORK(NM1+1), WORK(NM12+1),
/// WORK(NM13+1)), then applies with DLASR in the sweep's direction: one sequence to VT's rows from
/// the left, the other to U's columns from the right.
private struct SweepRotations {
    private var vtCosines: [Double], vtSines: [Double], uCosines: [Double], uSines: [Double]

    init(_ n: Int) {
        vtCosines = [Double](repeating: 0, count: n + 1)
        vtSines = vtCosines
        uCosines = vtCosines
        uSines = vtCosines
    }

    mutating func record(_ index: Int, vt: (c: Double, s: Double), u: (c: Double, s: Double)) {
        vtCosines[index] = vt.c; vtSines[index] = vt.s
        uCosines[index] = u.c; uSines[index] = u.s
    }

    /// Applies the rotations of the block [ll, m] to VT (n columns) and U (n rows).
    func apply(forward: Bool, _ ll: Int, _ m: Int, _ n: Int, vt: inout [Double], _ ldvt: Int,
               u: inout [Double], _ ldu: Int) {
        let count = m - ll + 1
        LAPACKDouble.dlasr(left: true, forward: forward, count, n, c: vtCosines, s: vtSines, &vt, ll - 1, ldvt)
        LAPACKDouble.dlasr(left: false, forward: forward, n, count, c: uCosines, s: uSines, &u, (ll - 1) * ldu, ldu)
    }
}
