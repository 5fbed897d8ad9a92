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
}
