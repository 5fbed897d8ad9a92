// Forward DCT and quantisation as libjpeg-turbo's default compressor does them: jfdctint.c's ISLOW
// integer FDCT (rows, then columns) and jcdctmgr.c's reciprocal-multiplication quantiser.

/// Quantisation of one table: libjpeg-turbo's per-coefficient reciprocal, rounding correction and shift
/// (compute_reciprocal for divisor = quantval * 8), which the C and SIMD quantisers share.
struct JPEGQuantizer {
    var reciprocal = [UInt32](repeating: 0, count: 64)
    var correction = [UInt32](repeating: 0, count: 64)
    var shift = [UInt32](repeating: 0, count: 64)

    /// `table`: 64 quantisation values in row-major order (1...255).
    init(_ table: [Int]) {
        for i in 0..<64 {
            let divisor = UInt32(table[i] << 3)
            var b = 0
            while (divisor >> (b + 1)) != 0 { b += 1 }  // floor(log2(divisor))
            var r = 16 + b
            var fq = (UInt32(1) << r) / divisor
            let fr = (UInt32(1) << r) % divisor
            var c = divisor / 2
            if fr == 0 {
                fq >>= 1
                r -= 1
            } else if fr <= divisor / 2 {
                c += 1
            } else {
                fq += 1
            }
            reciprocal[i] = fq
            correction[i] = c
            shift[i] = UInt32(r)
        }
    }

    /// Quantises FDCT output (scaled by 8, row-major) into `zigzag` in zig-zag order.
    func quantize(_ block: UnsafePointer<Int32>, into zigzag: UnsafeMutablePointer<Int32>) {
        reciprocal.withUnsafeBufferPointer { reciprocal in
            correction.withUnsafeBufferPointer { correction in
                shift.withUnsafeBufferPointer { shift in
                    JPEGQuantizer.order.withUnsafeBufferPointer { order in
                        for k in 0..<64 {
                            let i = order[k]
                            let x = block[i]
                            // libjpeg-turbo: (|x| + correction) * reciprocal >> shift, sign restored.
                            let q = Int32(truncatingIfNeeded: (UInt64(x.magnitude &+ correction[i]) &* UInt64(reciprocal[i])) &>> UInt64(shift[i]))
                            zigzag[k] = x < 0 ? 0 &- q : q
                        }
                    }
                }
            }
        }
    }

    static let order = Array(JPEGTables.naturalOrder.prefix(64))
}

enum JPEGForwardDCT {
    /// jfdctint.c jpeg_fdct_islow on `data` (64 level-shifted samples, row-major), in place; the
    /// result is scaled up by 8 like libjpeg's.
    static func transform(_ data: UnsafeMutablePointer<Int32>) {
        // Pass 1: rows, results scaled by 2^PASS1_BITS.
        for row in 0..<8 {
            let d = data + row * 8
            kernel(d, 1, pass1: true)
        }
        // Pass 2: columns, PASS1_BITS removed.
        for column in 0..<8 {
            kernel(data + column, 8, pass1: false)
        }
    }

    @inline(__always)
    static func kernel(_ d: UnsafeMutablePointer<Int32>, _ step: Int, pass1: Bool) {
        let constBits: Int32 = 13, pass1Bits: Int32 = 2
        @inline(__always) func descale(_ x: Int32, _ n: Int32) -> Int32 { (x &+ (1 &<< (n &- 1))) &>> n }
        let tmp0 = d[0] &+ d[7 * step], tmp7 = d[0] &- d[7 * step]
        let tmp1 = d[step] &+ d[6 * step], tmp6 = d[step] &- d[6 * step]
        let tmp2 = d[2 * step] &+ d[5 * step], tmp5 = d[2 * step] &- d[5 * step]
        let tmp3 = d[3 * step] &+ d[4 * step], tmp4 = d[3 * step] &- d[4 * step]
        // Even part.
        let tmp10 = tmp0 &+ tmp3, tmp13 = tmp0 &- tmp3
        let tmp11 = tmp1 &+ tmp2, tmp12 = tmp1 &- tmp2
        let oddShift = pass1 ? constBits - pass1Bits : constBits + pass1Bits
        if pass1 {
            d[0] = (tmp10 &+ tmp11) &<< pass1Bits
            d[4 * step] = (tmp10 &- tmp11) &<< pass1Bits
        } else {
            d[0] = descale(tmp10 &+ tmp11, pass1Bits)
            d[4 * step] = descale(tmp10 &- tmp11, pass1Bits)
        }
        let z1 = (tmp12 &+ tmp13) &* JPEGIDCT.fix0_541196100
        d[2 * step] = descale(z1 &+ tmp13 &* JPEGIDCT.fix0_765366865, oddShift)
        d[6 * step] = descale(z1 &+ tmp12 &* (-JPEGIDCT.fix1_847759065), oddShift)
        // Odd part.
        let z5 = ((tmp4 &+ tmp6) &+ (tmp5 &+ tmp7)) &* JPEGIDCT.fix1_175875602
        let o4 = tmp4 &* JPEGIDCT.fix0_298631336
        let o5 = tmp5 &* JPEGIDCT.fix2_053119869
        let o6 = tmp6 &* JPEGIDCT.fix3_072711026
        let o7 = tmp7 &* JPEGIDCT.fix1_501321110
        let m1 = (tmp4 &+ tmp7) &* (-JPEGIDCT.fix0_899976223)
        let m2 = (tmp5 &+ tmp6) &* (-JPEGIDCT.fix2_562915447)
        let m3 = (tmp4 &+ tmp6) &* (-JPEGIDCT.fix1_961570560) &+ z5
        let m4 = (tmp5 &+ tmp7) &* (-JPEGIDCT.fix0_390180644) &+ z5
        d[7 * step] = descale(o4 &+ m1 &+ m3, oddShift)
        d[5 * step] = descale(o5 &+ m2 &+ m4, oddShift)
        d[3 * step] = descale(o6 &+ m2 &+ m3, oddShift)
        d[step] = descale(o7 &+ m1 &+ m4, oddShift)
    }
}
