// Upsampling (libjpeg-turbo jdsample.c: fancy triangle filters for h2v1, h2v2 and h1v2, replication
// otherwise) and colour conversion (jdcolor.c's fixed-point YCbCr->RGB), one output row at a time.

/// How one component is brought to full resolution (libjpeg's per-component choice in jinit_upsampler).
enum JPEGUpsampling: Equatable {
    case full
    case h2v1Fancy
    case h1v2Fancy
    case h2v2Fancy
    /// Box filter: each sample repeated h times across and v times down.
    case replicate(h: Int, v: Int)

    init(_ c: JPEGComponent, frame: JPEGFrame) {
        let h = frame.maxH / c.h, v = frame.maxV / c.v
        switch (h, v) {
        case (1, 1): self = .full
        case (2, 1): self = c.width > 2 ? .h2v1Fancy : .replicate(h: 2, v: 1)
        case (1, 2): self = .h1v2Fancy
        case (2, 2): self = c.width > 2 ? .h2v2Fancy : .replicate(h: 2, v: 2)
        default: self = .replicate(h: h, v: v)
        }
    }
}

/// jdcolor.c's tables: R = y + crR[cr], G = y + ((cbG[cb] + crG[cr]) >> 16), B = y + cbB[cb].
/// Immutable after construction, hence @unchecked Sendable.
struct JPEGColorTables: @unchecked Sendable {
    let storage: UnsafeMutablePointer<Int32>
    var crR: UnsafeMutablePointer<Int32> { storage }
    var cbB: UnsafeMutablePointer<Int32> { storage + 256 }
    var crG: UnsafeMutablePointer<Int32> { storage + 512 }
    var cbG: UnsafeMutablePointer<Int32> { storage + 768 }

    /// FIX(x) = (Int)(x * 65536 + 0.5), SCALEBITS = 16, ONE_HALF = 1 << 15.
    static let shared: JPEGColorTables = {
        let storage = UnsafeMutablePointer<Int32>.allocate(capacity: 1024)  // immortal, built once
        for i in 0..<256 {
            let x = Int32(i - 128)
            storage[i] = (91881 &* x &+ 32768) >> 16          // FIX(1.40200)
            storage[256 + i] = (116130 &* x &+ 32768) >> 16   // FIX(1.77200)
            storage[512 + i] = -46802 &* x                    // -FIX(0.71414)
            storage[768 + i] = -22554 &* x &+ 32768           // -FIX(0.34414), + ONE_HALF
        }
        return JPEGColorTables(storage: storage)
    }()
}

enum JPEGColor {
    /// Converts the decoded planes to interleaved output pixels (RGB or grey), row by row.
    static func render(frame: JPEGFrame, buffers: JPEGBuffers, colorTransform: Bool,
                       into pixels: UnsafeMutablePointer<UInt8>) {
        let width = frame.width, height = frame.height
        let components = frame.components
        let methods = components.map { JPEGUpsampling($0, frame: frame) }
        // One row buffer per component, wide enough for any expansion of its samples.
        let rowCapacity = frame.mcusWide * frame.maxH * 8 + 16
        let rows = UnsafeMutablePointer<UInt8>.allocate(capacity: rowCapacity * components.count)
        let sums = UnsafeMutablePointer<Int16>.allocate(capacity: rowCapacity + 2)
        defer {
            rows.deallocate()
            sums.deallocate()
        }
        var sources = [UnsafePointer<UInt8>](repeating: UnsafePointer(rows), count: components.count)
        let tables = JPEGColorTables.shared
        let channels = components.count == 1 ? 1 : 3
        for y in 0..<height {
            for (index, c) in components.enumerated() {
                sources[index] = upsampledRow(y, c, methods[index], plane: buffers.planes[index],
                                              stride: buffers.strides[index],
                                              out: rows + index * rowCapacity, sums: sums, outputWidth: width)
            }
            let out = pixels + y * width * channels
            if channels == 1 {
                out.update(from: sources[0], count: width)
            } else if colorTransform {
                convertYCbCr(sources[0], sources[1], sources[2], out, width, tables)
            } else {
                for x in 0..<width {
                    out[3 * x] = sources[0][x]
                    out[3 * x + 1] = sources[1][x]
                    out[3 * x + 2] = sources[2][x]
                }
            }
        }
    }

    /// jdcolor.c's YCbCr->RGB for one row, 16 pixels at a time with the table formulas computed
    /// exactly in Int32 lanes, then interleaved to RGB bytes with byte shuffles.
    static func convertYCbCr(_ yRow: UnsafePointer<UInt8>, _ cbRow: UnsafePointer<UInt8>, _ crRow: UnsafePointer<UInt8>,
                             _ out: UnsafeMutablePointer<UInt8>, _ width: Int, _ t: JPEGColorTables) {
        typealias Lanes = SIMD16<Int32>
        @inline(__always) func load(_ p: UnsafePointer<UInt8>) -> Lanes {
            jpegWiden(UnsafeRawPointer(p).loadUnaligned(as: SIMD16<UInt8>.self))
        }
        var x = 0
        while x + 16 <= width {
            let y = load(yRow + x)
            let cb = load(cbRow + x) &- 128, cr = load(crRow + x) &- 128
            let half = Lanes(repeating: 32768)
            let r = jpegNarrow(jpegClamp255(y &+ ((cr &* 91881 &+ half) &>> 16)))
            let g = jpegNarrow(jpegClamp255(y &+ ((cb &* -22554 &+ cr &* -46802 &+ half) &>> 16)))
            let b = jpegNarrow(jpegClamp255(y &+ ((cb &* 116130 &+ half) &>> 16)))
            let o = UnsafeMutableRawPointer(out + 3 * x)
            o.storeBytes(of: SIMD16<UInt8>(r[0], g[0], b[0], r[1], g[1], b[1], r[2], g[2],
                                           b[2], r[3], g[3], b[3], r[4], g[4], b[4], r[5]), as: SIMD16<UInt8>.self)
            o.storeBytes(of: SIMD16<UInt8>(g[5], b[5], r[6], g[6], b[6], r[7], g[7], b[7],
                                           r[8], g[8], b[8], r[9], g[9], b[9], r[10], g[10]),
                         toByteOffset: 16, as: SIMD16<UInt8>.self)
            o.storeBytes(of: SIMD16<UInt8>(b[10], r[11], g[11], b[11], r[12], g[12], b[12], r[13],
                                           g[13], b[13], r[14], g[14], b[14], r[15], g[15], b[15]),
                         toByteOffset: 32, as: SIMD16<UInt8>.self)
            x += 16
        }
        let crR = t.crR, cbB = t.cbB, crG = t.crG, cbG = t.cbG
        while x < width {
            let y = Int32(yRow[x]), cb = Int(cbRow[x]), cr = Int(crRow[x])
            let r = y &+ crR[cr]
            let g = y &+ ((cbG[cb] &+ crG[cr]) &>> 16)
            let b = y &+ cbB[cb]
            out[3 * x] = UInt8(truncatingIfNeeded: min(max(r, 0), 255))
            out[3 * x + 1] = UInt8(truncatingIfNeeded: min(max(g, 0), 255))
            out[3 * x + 2] = UInt8(truncatingIfNeeded: min(max(b, 0), 255))
            x += 1
        }
    }

    /// Full-resolution samples of output row `y` of component `c` (a plane row, or `out` filled in).
    /// Rows above and below the component repeat its first and last rows, as libjpeg's context rows do.
    /// `sums` holds at least `c.width + 2` values.
    static func upsampledRow(_ y: Int, _ c: JPEGComponent, _ method: JPEGUpsampling,
                             plane: UnsafeMutablePointer<UInt8>, stride: Int,
                             out: UnsafeMutablePointer<UInt8>, sums: UnsafeMutablePointer<Int16>,
                             outputWidth: Int) -> UnsafePointer<UInt8> {
        @inline(__always) func row(_ r: Int) -> UnsafePointer<UInt8> {
            UnsafePointer(plane + min(max(r, 0), c.height - 1) * stride)
        }
        let n = c.width
        switch method {
        case .full:
            return row(y)
        case .h2v1Fancy:
            // sums[1 + i] = sample i, with the edge samples repeated at both ends: libjpeg's first and
            // last columns are then the general formula.
            let input = row(y)
            for i in 0..<n { sums[1 + i] = Int16(input[i]) }
            sums[0] = sums[1]
            sums[n + 1] = sums[n]
            interleave(sums, n, out, even: 1, odd: 2, shift: 2)
        case .h1v2Fancy:
            let near = row(y >> 1)
            let far = (y & 1) == 0 ? row((y >> 1) - 1) : row((y >> 1) + 1)
            let bias: Int16 = (y & 1) == 0 ? 1 : 2
            var x = 0
            while x + 16 <= n {
                let a = jpegWiden16(UnsafeRawPointer(near + x).loadUnaligned(as: SIMD16<UInt8>.self))
                let b = jpegWiden16(UnsafeRawPointer(far + x).loadUnaligned(as: SIMD16<UInt8>.self))
                let v = (a &* 3 &+ b &+ SIMD16(repeating: bias)) &>> 2
                UnsafeMutableRawPointer(out + x).storeBytes(of: jpegNarrow(v), as: SIMD16<UInt8>.self)
                x += 16
            }
            while x < n {
                out[x] = UInt8(truncatingIfNeeded: (Int16(near[x]) &* 3 &+ Int16(far[x]) &+ bias) &>> 2)
                x += 1
            }
        case .h2v2Fancy:
            // Vertical pass into column sums 3 * nearer + further, then the horizontal triangle filter.
            let near = row(y >> 1)
            let far = (y & 1) == 0 ? row((y >> 1) - 1) : row((y >> 1) + 1)
            var x = 0
            while x + 16 <= n {
                let a = jpegWiden16(UnsafeRawPointer(near + x).loadUnaligned(as: SIMD16<UInt8>.self))
                let b = jpegWiden16(UnsafeRawPointer(far + x).loadUnaligned(as: SIMD16<UInt8>.self))
                UnsafeMutableRawPointer(sums + 1 + x).storeBytes(of: a &* 3 &+ b, as: SIMD16<Int16>.self)
                x += 16
            }
            while x < n {
                sums[1 + x] = Int16(near[x]) &* 3 &+ Int16(far[x])
                x += 1
            }
            sums[0] = sums[1]
            sums[n + 1] = sums[n]
            interleave(sums, n, out, even: 8, odd: 7, shift: 4)
        case .replicate(let h, let v):
            let input = row(y / v)
            for x in 0..<outputWidth { out[x] = input[x / h] }
        }
        return UnsafePointer(out)
    }

    /// The horizontal triangle filter of jdsample.c on `sums[1...n]` (with `sums[0]` and `sums[n+1]`
    /// repeating the edges): out[2i] = (3 s_i + s_(i-1) + even) >> shift, out[2i+1] = (3 s_i + s_(i+1) + odd) >> shift.
    @inline(__always)
    static func interleave(_ sums: UnsafeMutablePointer<Int16>, _ n: Int, _ out: UnsafeMutablePointer<UInt8>,
                           even: Int16, odd: Int16, shift: Int16) {
        var i = 0
        while i + 16 <= n {
            let raw = UnsafeRawPointer(sums + i)
            let left = raw.loadUnaligned(as: SIMD16<Int16>.self)
            let current = raw.loadUnaligned(fromByteOffset: 2, as: SIMD16<Int16>.self) &* 3
            let right = raw.loadUnaligned(fromByteOffset: 4, as: SIMD16<Int16>.self)
            let e = (current &+ left &+ SIMD16(repeating: even)) &>> SIMD16(repeating: shift)
            let o = (current &+ right &+ SIMD16(repeating: odd)) &>> SIMD16(repeating: shift)
            // Both are 0...255: byte pairs (e, o) are the little-endian 16-bit lanes e | o << 8.
            let pairs = unsafeBitCast(e | (o &<< 8), to: SIMD16<UInt16>.self)
            UnsafeMutableRawPointer(out + 2 * i).storeBytes(of: pairs, as: SIMD16<UInt16>.self)
            i += 16
        }
        while i < n {
            let current = sums[1 + i] &* 3
            out[2 * i] = UInt8(truncatingIfNeeded: (current &+ sums[i] &+ even) &>> shift)
            out[2 * i + 1] = UInt8(truncatingIfNeeded: (current &+ sums[i + 2] &+ odd) &>> shift)
            i += 1
        }
    }
}
