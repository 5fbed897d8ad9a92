/// NumPy's SIMD float32 natural logarithm (AVX2/AVX512F `simd_log_FLOAT`, also NumPy 2's
/// universal-intrinsics kernel): frexp-style range reduction to m in (sqrt(1/2), sqrt(2)], a
/// degree-5/degree-5 rational approximation of log(1 + y) evaluated with FMAs, plus e * ln 2.
/// Max error 3.83 ULP against the true log, but bit-identical to what `np.log` returns for a
/// float32 array on x86-64, so `rmse_log` comes out as NumPy's.
enum NumpyLog {
    static let p: (Float, Float, Float, Float, Float, Float) = (
        0.000000000000000000000e+00, 9.999999999999998702752e-01, 2.112677543073053063722e+00,
        1.480000633576506585156e+00, 3.808837741388407920751e-01, 2.589979117907922693523e-02)
    static let q: (Float, Float, Float, Float, Float, Float) = (
        1.000000000000000000000e+00, 2.612677543073109236779e+00, 2.453006071784736363091e+00,
        9.864942958519418960339e-01, 1.546476374983906719538e-01, 5.875095403124574342950e-03)
    static let ln2: Float = 0.693147180559945309417232121458176568
    static let sqrtHalf: Float = 0.707106781186547524400844362104849039

    @inline(__always)
    static func log(_ input: Float) -> Float {
        if input.isNaN { return input }
        if input < 0 { return -.nan }
        if input == 0 { return -.infinity }
        if input == .infinity { return .infinity }
        var x = input
        var exponentAdjust: Float = 0
        if x.isSubnormal {
            // getexp/getmant see the true exponent of a subnormal: normalise it first.
            x *= 8_388_608  // 2^23
            exponentAdjust = -23
        }
        let bits = x.bitPattern
        var exponent = Float(Int32(bits >> 23) - 126) + exponentAdjust
        var mantissa = Float(bitPattern: (bits & 0x007F_FFFF) | 0x3F00_0000)   // [0.5, 1)
        if mantissa <= sqrtHalf {
            mantissa += mantissa
            exponent -= 1
        }
        let y = mantissa - 1
        var numerator = p.4.addingProduct(p.5, y)
        numerator = p.3.addingProduct(numerator, y)
        numerator = p.2.addingProduct(numerator, y)
        numerator = p.1.addingProduct(numerator, y)
        numerator = p.0.addingProduct(numerator, y)
        var denominator = q.4.addingProduct(q.5, y)
        denominator = q.3.addingProduct(denominator, y)
        denominator = q.2.addingProduct(denominator, y)
        denominator = q.1.addingProduct(denominator, y)
        denominator = q.0.addingProduct(denominator, y)
        return (numerator / denominator).addingProduct(exponent, ln2)
    }
}
