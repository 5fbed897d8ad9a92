#if arch(x86_64)
import KernelsAVX512
#endif

/// The SGEMM register tile: 6 rows × 16 columns of C held in 12 SIMD8 accumulators (AVX2-shaped:
/// 12 accumulators + 2 B vectors + 1 broadcast = 15 of 16 ymm registers, no spills).
/// See SWIFT-PERFORMANCE-NOTES.md §2: this shape matches any AVX-512 tiling on Zen 4.
/// The AVX-512 kernels (KernelsAVX512) use `AVX512Tile.rows` rows × 32 columns, i.e. two of the same
/// 16-column B panels, so packing is shared and only the A panel height depends on the ISA.
enum GEMMTile {
    static let columns = 16   // NR: the width of one packed B panel

    /// MR: rows of a packed A panel (and of the register tile) on `isa`.
    @inline(__always) static func rows(_ isa: KernelISA) -> Int {
        #if arch(x86_64)
        return isa == .avx512 ? AVX512Tile.rows : 6
        #else
        return 6
        #endif
    }

    /// Floats of an edge-tile scratch that fits any ISA's register tile.
    static let scratchFloats = 512
}

/// C[6×16] (row stride `ldc`, rows contiguous) = alpha · Σ_p a[p·6 + i] · b[p·16 + j] + beta · C
/// (+ rowBias[i] when `rowBias` is non-nil).
/// `a` is one packed A micro-panel (6 floats per k), `b` one packed B micro-panel (16 floats per k,
/// 32-byte aligned). With beta == 0, C is written without being read (NaN in C is ignored).
@inline(__always)
func gemmMicroKernel6x16(_ kc: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                         _ c: UnsafeMutablePointer<Float>, _ ldc: Int, alpha: Float, beta: Float,
                         rowBias: UnsafePointer<Float>? = nil) {
    typealias V = SIMD8<Float>
    var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
    var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()
    var ap = a
    var bp = UnsafeRawPointer(b)
    for _ in 0..<kc {
        let b0 = bp.load(as: V.self)
        let b1 = bp.load(fromByteOffset: 32, as: V.self)
        var av = V(repeating: ap[0])
        c00 = c00.addingProduct(av, b0); c01 = c01.addingProduct(av, b1)
        av = V(repeating: ap[1])
        c10 = c10.addingProduct(av, b0); c11 = c11.addingProduct(av, b1)
        av = V(repeating: ap[2])
        c20 = c20.addingProduct(av, b0); c21 = c21.addingProduct(av, b1)
        av = V(repeating: ap[3])
        c30 = c30.addingProduct(av, b0); c31 = c31.addingProduct(av, b1)
        av = V(repeating: ap[4])
        c40 = c40.addingProduct(av, b0); c41 = c41.addingProduct(av, b1)
        av = V(repeating: ap[5])
        c50 = c50.addingProduct(av, b0); c51 = c51.addingProduct(av, b1)
        ap += 6
        bp += 64
    }
    gemmStoreRow(c, c00, c01, alpha, beta, rowBias?[0] ?? 0)
    gemmStoreRow(c + ldc, c10, c11, alpha, beta, rowBias?[1] ?? 0)
    gemmStoreRow(c + 2 * ldc, c20, c21, alpha, beta, rowBias?[2] ?? 0)
    gemmStoreRow(c + 3 * ldc, c30, c31, alpha, beta, rowBias?[3] ?? 0)
    gemmStoreRow(c + 4 * ldc, c40, c41, alpha, beta, rowBias?[4] ?? 0)
    gemmStoreRow(c + 5 * ldc, c50, c51, alpha, beta, rowBias?[5] ?? 0)
}

/// One 16-float row of a tile: C = alpha·acc (+ beta·C unless beta == 0).
@inline(__always)
func gemmStoreRow(_ c: UnsafeMutablePointer<Float>, _ lo: SIMD8<Float>, _ hi: SIMD8<Float>,
                          _ alpha: Float, _ beta: Float, _ bias: Float) {
    let raw = UnsafeMutableRawPointer(c)
    var r0 = lo, r1 = hi
    if alpha != 1 { r0 *= alpha; r1 *= alpha }
    if bias != 0 { r0 += bias; r1 += bias }
    if beta == 1 {
        r0 += raw.loadUnaligned(as: SIMD8<Float>.self)
        r1 += raw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
    } else if beta != 0 {
        r0 = r0.addingProduct(SIMD8(repeating: beta), raw.loadUnaligned(as: SIMD8<Float>.self))
        r1 = r1.addingProduct(SIMD8(repeating: beta), raw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
    }
    raw.storeBytes(of: r0, as: SIMD8<Float>.self)
    raw.storeBytes(of: r1, toByteOffset: 32, as: SIMD8<Float>.self)
}

/// Merges a computed tile (`tile`, row stride `tileStride`, alpha not yet applied) into the valid
/// `rows × columns` corner of a C with arbitrary strides: C = alpha·tile + beta·C (no read if
/// beta == 0) (+ rowBias[i] when non-nil; only supported with columnStride == 1).
@inline(__always)
func gemmMergeTile(_ tile: UnsafePointer<Float>, tileStride: Int = GEMMTile.columns, rows: Int, columns: Int,
                   _ c: UnsafeMutablePointer<Float>, rowStride: Int, columnStride: Int,
                   alpha: Float, beta: Float, rowBias: UnsafePointer<Float>? = nil) {
    if columnStride == 1 {
        for i in 0..<rows {
            let src = tile + i * tileStride, dst = c + i * rowStride
            let bias = rowBias?[i] ?? 0
            if beta == 0 {
                for j in 0..<columns { dst[j] = alpha * src[j] + bias }
            } else {
                for j in 0..<columns { dst[j] = alpha * src[j] + beta * dst[j] + bias }
            }
        }
    } else {
        // Transposed store (the GEMM ran on Cᵀ): walk C's rows (tile columns) for locality.
        for j in 0..<columns {
            let dst = c + j * columnStride
            if beta == 0 {
                for i in 0..<rows { dst[i * rowStride] = alpha * tile[i * tileStride + j] }
            } else {
                for i in 0..<rows {
                    dst[i * rowStride] = alpha * tile[i * tileStride + j] + beta * dst[i * rowStride]
                }
            }
        }
    }
}

/// The 6×16 kernel with an unpacked A: row i of the 6×kc A block is `rows.i[0..<kc]` (contiguous
/// along depth, any distance between rows). Used where A rows are shifted views of an image.
/// C[6×16] (row stride `ldc`) = alpha · Σ_p rows[i][p] · b[p·16 + j] + beta · C (+ rowBias[i]).
@inline(__always)
func gemmMicroKernelRows6x16(_ kc: Int, _ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>,
                             _ r2: UnsafePointer<Float>, _ r3: UnsafePointer<Float>,
                             _ r4: UnsafePointer<Float>, _ r5: UnsafePointer<Float>,
                             _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
                             alpha: Float = 1, beta: Float, rowBias: UnsafePointer<Float>? = nil) {
    typealias V = SIMD8<Float>
    var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
    var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()
    var bp = UnsafeRawPointer(b)
    for p in 0..<kc {
        let b0 = bp.load(as: V.self)
        let b1 = bp.load(fromByteOffset: 32, as: V.self)
        var av = V(repeating: r0[p])
        c00 = c00.addingProduct(av, b0); c01 = c01.addingProduct(av, b1)
        av = V(repeating: r1[p])
        c10 = c10.addingProduct(av, b0); c11 = c11.addingProduct(av, b1)
        av = V(repeating: r2[p])
        c20 = c20.addingProduct(av, b0); c21 = c21.addingProduct(av, b1)
        av = V(repeating: r3[p])
        c30 = c30.addingProduct(av, b0); c31 = c31.addingProduct(av, b1)
        av = V(repeating: r4[p])
        c40 = c40.addingProduct(av, b0); c41 = c41.addingProduct(av, b1)
        av = V(repeating: r5[p])
        c50 = c50.addingProduct(av, b0); c51 = c51.addingProduct(av, b1)
        bp += 64
    }
    gemmStoreRow(c, c00, c01, alpha, beta, rowBias?[0] ?? 0)
    gemmStoreRow(c + ldc, c10, c11, alpha, beta, rowBias?[1] ?? 0)
    gemmStoreRow(c + 2 * ldc, c20, c21, alpha, beta, rowBias?[2] ?? 0)
    gemmStoreRow(c + 3 * ldc, c30, c31, alpha, beta, rowBias?[3] ?? 0)
    gemmStoreRow(c + 4 * ldc, c40, c41, alpha, beta, rowBias?[4] ?? 0)
    gemmStoreRow(c + 5 * ldc, c50, c51, alpha, beta, rowBias?[5] ?? 0)
}

/// The 4-row tail of a packed A panel (rows 4, 5 of the panel are padding) against a full B panel:
/// C[4×16] = alpha · Σ_p a[p·6 + i] · b[p·16 + j] + beta · C (+ rowBias[i]). Eight accumulators still
/// cover the FMA latency, so e.g. Cout = 64 = 10·6 + 4 runs without wasted rows or a merge pass.
@inline(__always)
func gemmMicroKernel4x16(_ kc: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                         _ c: UnsafeMutablePointer<Float>, _ ldc: Int, alpha: Float, beta: Float,
                         rowBias: UnsafePointer<Float>? = nil) {
    typealias V = SIMD8<Float>
    var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V(), c30 = V(), c31 = V()
    var ap = a
    var bp = UnsafeRawPointer(b)
    for _ in 0..<kc {
        let b0 = bp.load(as: V.self)
        let b1 = bp.load(fromByteOffset: 32, as: V.self)
        var av = V(repeating: ap[0])
        c00 = c00.addingProduct(av, b0); c01 = c01.addingProduct(av, b1)
        av = V(repeating: ap[1])
        c10 = c10.addingProduct(av, b0); c11 = c11.addingProduct(av, b1)
        av = V(repeating: ap[2])
        c20 = c20.addingProduct(av, b0); c21 = c21.addingProduct(av, b1)
        av = V(repeating: ap[3])
        c30 = c30.addingProduct(av, b0); c31 = c31.addingProduct(av, b1)
        ap += 6
        bp += 64
    }
    gemmStoreRow(c, c00, c01, alpha, beta, rowBias?[0] ?? 0)
    gemmStoreRow(c + ldc, c10, c11, alpha, beta, rowBias?[1] ?? 0)
    gemmStoreRow(c + 2 * ldc, c20, c21, alpha, beta, rowBias?[2] ?? 0)
    gemmStoreRow(c + 3 * ldc, c30, c31, alpha, beta, rowBias?[3] ?? 0)
}
