// Inverse DCT with libjpeg's ISLOW arithmetic (jidctint.c: CONST_BITS 13, PASS1_BITS 2, the same
// products, sums and DESCALE roundings), computed for 8 columns (then 8 rows) at once in SIMD8<Int32>.
// Integer arithmetic is exact, so the lane-parallel form gives jidctint's results bit for bit; the
// final clamp to 0...255 is what libjpeg-turbo's SIMD code (and so Pillow) does.

typealias JPEGLanes = SIMD8<Int32>

enum JPEGIDCT {
    // FIX(x) = round(x * 2^13), jidctint.c's constants.
    static let fix0_298631336: Int32 = 2446
    static let fix0_390180644: Int32 = 3196
    static let fix0_541196100: Int32 = 4433
    static let fix0_765366865: Int32 = 6270
    static let fix0_899976223: Int32 = 7373
    static let fix1_175875602: Int32 = 9633
    static let fix1_501321110: Int32 = 12299
    static let fix1_847759065: Int32 = 15137
    static let fix1_961570560: Int32 = 16069
    static let fix2_053119869: Int32 = 16819
    static let fix2_562915447: Int32 = 20995
    static let fix3_072711026: Int32 = 25172

    /// Dequantises `coef` (64 coefficients, row-major) with `quant` (64 multipliers, row-major) and
    /// writes the 8x8 samples to `out` (rows `stride` bytes apart).
    @inline(__always)
    static func transform(_ coef: UnsafePointer<Int16>, _ quant: UnsafePointer<Int32>,
                          _ out: UnsafeMutablePointer<UInt8>, _ stride: Int) {
        let c = UnsafeRawPointer(coef)
        let q = UnsafeRawPointer(quant)
        @inline(__always) func row(_ k: Int) -> JPEGLanes {
            let raw = c.loadUnaligned(fromByteOffset: 16 * k, as: SIMD8<Int16>.self)
            return jpegWiden(raw) &* q.loadUnaligned(fromByteOffset: 32 * k, as: JPEGLanes.self)
        }
        // Pass 1: columns (lane = column), results scaled by 2^PASS1_BITS.
        var (w0, w1, w2, w3, w4, w5, w6, w7) = butterfly(row(0), row(1), row(2), row(3),
                                                         row(4), row(5), row(6), row(7), bias: 1 << 10)
        w0 = w0 &>> 11; w1 = w1 &>> 11; w2 = w2 &>> 11; w3 = w3 &>> 11
        w4 = w4 &>> 11; w5 = w5 &>> 11; w6 = w6 &>> 11; w7 = w7 &>> 11
        // Pass 2: rows (lane = row after the transpose); DESCALE by 2^18 and the +128 level shift are
        // folded into one bias added before the shift (adding a multiple of 2^18 commutes with >>).
        var (x0, x1, x2, x3, x4, x5, x6, x7) = transpose(w0, w1, w2, w3, w4, w5, w6, w7)
        (x0, x1, x2, x3, x4, x5, x6, x7) = butterfly(x0, x1, x2, x3, x4, x5, x6, x7, bias: (1 << 17) + (128 << 18))
        (x0, x1, x2, x3, x4, x5, x6, x7) = transpose(x0 &>> 18, x1 &>> 18, x2 &>> 18, x3 &>> 18,
                                                     x4 &>> 18, x5 &>> 18, x6 &>> 18, x7 &>> 18)
        store(x0, out)
        store(x1, out + stride)
        store(x2, out + 2 * stride)
        store(x3, out + 3 * stride)
        store(x4, out + 4 * stride)
        store(x5, out + 5 * stride)
        store(x6, out + 6 * stride)
        store(x7, out + 7 * stride)
    }

    /// A block whose AC coefficients are all zero: jidctint gives one value everywhere.
    @inline(__always)
    static func transformDC(_ dc: Int16, _ quant0: Int32, _ out: UnsafeMutablePointer<UInt8>, _ stride: Int) {
        let pass1 = (Int32(dc) &* quant0) &<< 2
        let value = min(max(((pass1 &+ 16) &>> 5) &+ 128, 0), 255)
        let fill = UInt64(truncatingIfNeeded: value) &* 0x0101_0101_0101_0101
        for r in 0..<8 {
            UnsafeMutableRawPointer(out + r * stride).storeBytes(of: fill, as: UInt64.self)
        }
    }

    @inline(__always)
    static func store(_ v: JPEGLanes, _ out: UnsafeMutablePointer<UInt8>) {
        UnsafeMutableRawPointer(out).storeBytes(of: jpegNarrow(jpegClamp255(v)), as: SIMD8<UInt8>.self)
    }

    /// The 1-D ISLOW kernel on 8 inputs per lane; `bias` (the DESCALE rounding) is already added to
    /// every output, which are not yet shifted.
    @inline(__always)
    static func butterfly(_ i0: JPEGLanes, _ i1: JPEGLanes, _ i2: JPEGLanes, _ i3: JPEGLanes,
                          _ i4: JPEGLanes, _ i5: JPEGLanes, _ i6: JPEGLanes, _ i7: JPEGLanes,
                          bias: Int32)
        -> (JPEGLanes, JPEGLanes, JPEGLanes, JPEGLanes, JPEGLanes, JPEGLanes, JPEGLanes, JPEGLanes) {
        // Even part.
        let z1 = (i2 &+ i6) &* fix0_541196100
        let e2 = z1 &+ i6 &* (-fix1_847759065)
        let e3 = z1 &+ i2 &* fix0_765366865
        let e0 = ((i0 &+ i4) &<< 13) &+ bias
        let e1 = ((i0 &- i4) &<< 13) &+ bias
        let t10 = e0 &+ e3, t13 = e0 &- e3
        let t11 = e1 &+ e2, t12 = e1 &- e2
        // Odd part.
        let z4 = i5 &+ i1, z3 = i7 &+ i3, z2 = i5 &+ i3, zz1 = i7 &+ i1
        let z5 = (z3 &+ z4) &* fix1_175875602
        var o3 = i1 &* fix1_501321110
        var o2 = i3 &* fix3_072711026
        var o1 = i5 &* fix2_053119869
        var o0 = i7 &* fix0_298631336
        let zz4 = z4 &* (-fix0_390180644) &+ z5
        let zz3 = z3 &* (-fix1_961570560) &+ z5
        let m1 = zz1 &* (-fix0_899976223)
        let m2 = z2 &* (-fix2_562915447)
        o3 &+= m1 &+ zz4
        o2 &+= m2 &+ zz3
        o1 &+= m2 &+ zz4
        o0 &+= m1 &+ zz3
        return (t10 &+ o3, t11 &+ o2, t12 &+ o1, t13 &+ o0, t13 &- o0, t12 &- o1, t11 &- o2, t10 &- o3)
    }

    /// 8x8 transpose of lanes: out_j[i] = in_i[j] (unpack/permute pattern, lowered to shuffles).
    @inline(__always)
    static func transpose(_ r0: JPEGLanes, _ r1: JPEGLanes, _ r2: JPEGLanes, _ r3: JPEGLanes,
                          _ r4: JPEGLanes, _ r5: JPEGLanes, _ r6: JPEGLanes, _ r7: JPEGLanes)
        -> (JPEGLanes, JPEGLanes, JPEGLanes, JPEGLanes, JPEGLanes, JPEGLanes, JPEGLanes, JPEGLanes) {
        @inline(__always) func lo32(_ a: JPEGLanes, _ b: JPEGLanes) -> JPEGLanes {
            JPEGLanes(a[0], b[0], a[1], b[1], a[4], b[4], a[5], b[5])
        }
        @inline(__always) func hi32(_ a: JPEGLanes, _ b: JPEGLanes) -> JPEGLanes {
            JPEGLanes(a[2], b[2], a[3], b[3], a[6], b[6], a[7], b[7])
        }
        @inline(__always) func lo64(_ a: JPEGLanes, _ b: JPEGLanes) -> JPEGLanes {
            JPEGLanes(a[0], a[1], b[0], b[1], a[4], a[5], b[4], b[5])
        }
        @inline(__always) func hi64(_ a: JPEGLanes, _ b: JPEGLanes) -> JPEGLanes {
            JPEGLanes(a[2], a[3], b[2], b[3], a[6], a[7], b[6], b[7])
        }
        let a0 = lo32(r0, r1), a1 = hi32(r0, r1), a2 = lo32(r2, r3), a3 = hi32(r2, r3)
        let a4 = lo32(r4, r5), a5 = hi32(r4, r5), a6 = lo32(r6, r7), a7 = hi32(r6, r7)
        let b0 = lo64(a0, a2), b1 = hi64(a0, a2), b2 = lo64(a1, a3), b3 = hi64(a1, a3)
        let b4 = lo64(a4, a6), b5 = hi64(a4, a6), b6 = lo64(a5, a7), b7 = hi64(a5, a7)
        return (JPEGLanes(lowHalf: b0.lowHalf, highHalf: b4.lowHalf),
                JPEGLanes(lowHalf: b1.lowHalf, highHalf: b5.lowHalf),
                JPEGLanes(lowHalf: b2.lowHalf, highHalf: b6.lowHalf),
                JPEGLanes(lowHalf: b3.lowHalf, highHalf: b7.lowHalf),
                JPEGLanes(lowHalf: b0.highHalf, highHalf: b4.highHalf),
                JPEGLanes(lowHalf: b1.highHalf, highHalf: b5.highHalf),
                JPEGLanes(lowHalf: b2.highHalf, highHalf: b6.highHalf),
                JPEGLanes(lowHalf: b3.highHalf, highHalf: b7.highHalf))
    }
}
