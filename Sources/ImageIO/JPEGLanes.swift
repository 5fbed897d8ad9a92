// Small SIMD helpers written so that they always inline: the generic stdlib versions
// (pointwiseMin/Max, init(truncatingIfNeeded:)) were emitted as out-of-line calls in the hot loops.

/// Clamp to 0...255 with shifts and masks only (the stdlib's lane comparisons became scalar loops).
/// Concrete overloads, not generic: unspecialised generic SIMD code is very slow in non-WMO builds.
@inline(__always)
func jpegClamp255(_ v: SIMD8<Int32>) -> SIMD8<Int32> {
    let positive = v & ((v &>> 31) ^ SIMD8(repeating: -1))            // max(v, 0)
    let over = positive &- SIMD8(repeating: 255)
    return positive &- (over & ((over &>> 31) ^ SIMD8(repeating: -1)))  // min(., 255)
}

@inline(__always)
func jpegClamp255(_ v: SIMD16<Int32>) -> SIMD16<Int32> {
    let positive = v & ((v &>> 31) ^ SIMD16(repeating: -1))
    let over = positive &- SIMD16(repeating: 255)
    return positive &- (over & ((over &>> 31) ^ SIMD16(repeating: -1)))
}

@inline(__always)
func jpegWiden(_ v: SIMD16<UInt8>) -> SIMD16<Int32> {
    var r = SIMD16<Int32>()
    for i in 0..<16 { r[i] = Int32(v[i]) }
    return r
}

@inline(__always)
func jpegWiden(_ v: SIMD8<Int16>) -> SIMD8<Int32> {
    var r = SIMD8<Int32>()
    for i in 0..<8 { r[i] = Int32(v[i]) }
    return r
}

/// Low byte of each lane (the caller has clamped to 0...255).
@inline(__always)
func jpegNarrow(_ v: SIMD8<Int32>) -> SIMD8<UInt8> {
    var r = SIMD8<UInt8>()
    for i in 0..<8 { r[i] = UInt8(truncatingIfNeeded: v[i]) }
    return r
}

@inline(__always)
func jpegNarrow(_ v: SIMD16<Int32>) -> SIMD16<UInt8> {
    var r = SIMD16<UInt8>()
    for i in 0..<16 { r[i] = UInt8(truncatingIfNeeded: v[i]) }
    return r
}

@inline(__always)
func jpegWiden16(_ v: SIMD16<UInt8>) -> SIMD16<Int16> {
    var r = SIMD16<Int16>()
    for i in 0..<16 { r[i] = Int16(v[i]) }
    return r
}

/// Low byte of each lane (the caller guarantees 0...255).
@inline(__always)
func jpegNarrow(_ v: SIMD16<Int16>) -> SIMD16<UInt8> {
    var r = SIMD16<UInt8>()
    for i in 0..<16 { r[i] = UInt8(truncatingIfNeeded: v[i]) }
    return r
}
