/// im2col operands that pack GEMM panels straight from an NCHW image, so the (Cin·k²)×(Ho·Wo)
/// column matrix is never materialised (for layer1 at 96×320 it would be 70 MB per image).
///
/// Column-matrix indexing used throughout: tap t = (c, ky, kx) = (c·kh + ky)·kw + kx, pixel
/// j = oy·Wo + ox; col[t][j] = input[c][oy·sy − py + ky][ox·sx − px + kx], zero outside the image.

/// Decodes a tap index into (c, ky, kx) and steps through taps in order.
struct TapCursor {
    var c: Int, ky: Int, kx: Int
    let kh: Int, kw: Int

    init(_ tap: Int, kh: Int, kw: Int) {
        self.kh = kh; self.kw = kw
        c = tap / (kh * kw)
        let r = tap - c * kh * kw
        ky = r / kw
        kx = r - ky * kw
    }

    @inline(__always) mutating func advance() {
        kx += 1
        if kx == kw {
            kx = 0; ky += 1
            if ky == kh { ky = 0; c += 1 }
        }
    }
}

/// Logical B (k × n) = col of one image: rows are taps, columns output pixels. The forward GEMM
/// W (Cout × taps) · col produces the output image directly.
struct Im2colOperand: GEMMOperandB {
    let image: UnsafePointer<Float>
    let g: Conv2dGeometry

    func packB(depth p0: Int, _ kc: Int, columns j0: Int, _ columns: Int, into dst: UnsafeMutablePointer<Float>) {
        let nr = GEMMTile.columns
        let h = g.inHeight, w = g.inWidth, wo = g.outWidth
        let sx = g.strideX, plane = h * w
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 4 * nr) { runs in
            var panel = dst
            var j = 0
            while j < columns {
                let valid = min(nr, columns - j)
                // Split the panel's pixels into runs that stay on one output row.
                var runCount = 0
                var lane = 0
                var oy = (j0 + j) / wo, ox = (j0 + j) - oy * wo
                while lane < valid {
                    let count = min(valid - lane, wo - ox)
                    runs[4 * runCount] = lane
                    runs[4 * runCount + 1] = count
                    runs[4 * runCount + 2] = oy * g.strideY - g.padY
                    runs[4 * runCount + 3] = ox * sx - g.padX
                    runCount += 1
                    lane += count
                    oy += 1; ox = 0
                }
                if runCount == 1 && valid == nr {
                    packSingleRowPanel(p0, kc, iyBase: runs[2], ixBase: runs[3], into: panel)
                } else {
                    var tap = TapCursor(p0, kh: g.kernelHeight, kw: g.kernelWidth)
                    for p in 0..<kc {
                        let d = panel + p * nr
                        let channel = image + tap.c * plane
                        for r in 0..<runCount {
                            let l0 = runs[4 * r], count = runs[4 * r + 1]
                            let iy = runs[4 * r + 2] + tap.ky
                            if iy < 0 || iy >= h {
                                for l in l0..<(l0 + count) { d[l] = 0 }
                            } else {
                                copyRun(channel + iy * w, ix: runs[4 * r + 3] + tap.kx, stride: sx, width: w,
                                        count: count, into: d + l0)
                            }
                        }
                        for l in valid..<nr { d[l] = 0 }
                        tap.advance()
                    }
                }
                panel += nr * kc
                j += nr
            }
        }
    }

    /// The common case: 16 pixels on one output row. Taps are walked one (c, ky) input row at a
    /// time, so row validity and addresses are computed once per row, not per tap; interior taps
    /// are two SIMD copies (stride 1) or two even-lane extractions (stride 2).
    @inline(__always)
    private func packSingleRowPanel(_ p0: Int, _ kc: Int, iyBase: Int, ixBase: Int, into panel: UnsafeMutablePointer<Float>) {
        let nr = GEMMTile.columns
        let h = g.inHeight, w = g.inWidth, kw = g.kernelWidth, kh = g.kernelHeight, sx = g.strideX
        var tap = TapCursor(p0, kh: kh, kw: kw)
        var p = 0
        while p < kc {
            let run = min(kw &- tap.kx, kc &- p)
            let iy = iyBase &+ tap.ky
            var d = UnsafeMutableRawPointer(panel + p &* nr)
            if iy < 0 || iy >= h {
                for _ in 0..<run {
                    d.storeBytes(of: SIMD8<Float>(), as: SIMD8<Float>.self)
                    d.storeBytes(of: SIMD8<Float>(), toByteOffset: 32, as: SIMD8<Float>.self)
                    d += 64
                }
            } else {
                let row = image + (tap.c &* h &+ iy) &* w
                var ix = ixBase &+ tap.kx
                for _ in 0..<run {
                    if sx == 1 && ix >= 0 && ix &+ nr <= w {
                        let s = UnsafeRawPointer(row + ix)
                        d.storeBytes(of: s.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                        d.storeBytes(of: s.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self),
                                     toByteOffset: 32, as: SIMD8<Float>.self)
                    } else if sx == 2 && ix >= 0 && ix &+ 2 &* nr <= w {
                        let s = UnsafeRawPointer(row + ix)
                        d.storeBytes(of: s.loadUnaligned(as: SIMD16<Float>.self).evenHalf, as: SIMD8<Float>.self)
                        d.storeBytes(of: s.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self).evenHalf,
                                     toByteOffset: 32, as: SIMD8<Float>.self)
                    } else {
                        copyRun(row, ix: ix, stride: sx, width: w, count: nr, into: d.assumingMemoryBound(to: Float.self))
                    }
                    ix &+= 1
                    d += 64
                }
            }
            p &+= run
            // Next input row: kx back to 0.
            tap.kx = 0
            tap.ky &+= 1
            if tap.ky == kh { tap.ky = 0; tap.c &+= 1 }
        }
    }
}

/// dst[t] = row[ix + t·stride] for t in 0..<count, zero where the column falls outside [0, width).
@inline(__always)
func copyRun(_ row: UnsafePointer<Float>, ix: Int, stride: Int, width: Int, count: Int,
             into dst: UnsafeMutablePointer<Float>) {
    if ix >= 0 && ix + (count - 1) * stride < width {
        for t in 0..<count { dst[t] = row[ix + t * stride] }
    } else {
        for t in 0..<count {
            let x = ix + t * stride
            dst[t] = x >= 0 && x < width ? row[x] : 0
        }
    }
}

/// d[t·16] = src[t] for t in 0..<count: contiguous SIMD8 loads, strided scalar stores.
@inline(__always)
func scatterColumn(_ src: UnsafePointer<Float>, count: Int, into d: UnsafeMutablePointer<Float>) {
    let nr = GEMMTile.columns
    var t = 0
    while t &+ 8 <= count {
        let v = UnsafeRawPointer(src + t).loadUnaligned(as: SIMD8<Float>.self)
        let o = d + t &* nr
        o[0] = v[0]; o[nr] = v[1]; o[2 * nr] = v[2]; o[3 * nr] = v[3]
        o[4 * nr] = v[4]; o[5 * nr] = v[5]; o[6 * nr] = v[6]; o[7 * nr] = v[7]
        t &+= 8
    }
    while t < count { d[t &* nr] = src[t]; t &+= 1 }
}
