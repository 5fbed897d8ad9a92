#if arch(x86_64)
import KernelsAVX512

// The GEMM loops' AVX-512 tile walks: the same packed panels as the SIMD8 path, two 16-column B
// panels per register tile (AVX512Tile.rows × 32). Only reached with isa == .avx512, which
// KernelDispatch grants only where CPUID and the OS report AVX-512.

/// All row tiles of a packed A block (`rows` rows, panels of AVX512Tile.rows) against one or two
/// packed B panels (`bPanel1` nil: 16 columns), into C at (row0.., column..). Full tiles store
/// straight into C; edge tiles go through `tile` (≥ AVX512Tile.rows × 32 floats).
@inline(__always)
func gemmPanelColumnAVX512(kc: Int, aPack: UnsafePointer<Float>, rows: Int, bPanel0: UnsafePointer<Float>,
                           bPanel1: UnsafePointer<Float>?, validColumns: Int, c: GEMMOutput, row0: Int, column: Int,
                           alpha: Float, beta: Float, tile: UnsafeMutablePointer<Float>) {
    let mr = AVX512Tile.rows, nr = GEMMTile.columns
    let width = bPanel1 == nil ? nr : 2 * nr
    var i = 0
    while i < rows {
        let validRows = min(mr, rows - i)
        let row = row0 + i
        let bias = c.rowBias.map { $0 + row }
        let a = aPack + i * kc
        if validRows == mr && validColumns == width && c.columnStride == 1 {
            let out = c.base + row * c.rowStride + column
            if let bPanel1 {
                avx512PackedKernel8x32(kc, a, bPanel0, bPanel1, out, c.rowStride, alpha: alpha, beta: beta, rowBias: bias)
            } else {
                avx512PackedKernel8x16(kc, a, bPanel0, out, c.rowStride, alpha: alpha, beta: beta, rowBias: bias)
            }
        } else {
            if let bPanel1 {
                avx512PackedKernel8x32(kc, a, bPanel0, bPanel1, tile, width, alpha: 1, beta: 0, rowBias: nil)
            } else {
                avx512PackedKernel8x16(kc, a, bPanel0, tile, width, alpha: 1, beta: 0, rowBias: nil)
            }
            gemmMergeTile(tile, tileStride: width, rows: validRows, columns: validColumns,
                          c.base + row * c.rowStride + column * c.columnStride,
                          rowStride: c.rowStride, columnStride: c.columnStride,
                          alpha: alpha, beta: beta, rowBias: bias)
        }
        i += mr
    }
}

/// AVX512Tile.rows row pointers: rows[r] = first + r·stride for r < valid, else `first` (its sums
/// are discarded). Passed to the rows kernels, which read them once.
struct AVX512RowPointers {
    var storage: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>,
                  UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>)

    init(_ first: UnsafePointer<Float>) {
        storage = (first, first, first, first, first, first, first, first)
    }

    /// Calls `body` with the pointers as a buffer.
    @inline(__always)
    mutating func with<R>(_ body: (UnsafeMutablePointer<UnsafePointer<Float>>) -> R) -> R {
        withUnsafeMutableBytes(of: &storage) { raw in
            body(raw.baseAddress!.assumingMemoryBound(to: UnsafePointer<Float>.self))
        }
    }
}

extension GEMMBlockTask {
    /// `runDirect` with the AVX-512 rows kernels: A rows read in place, two B panels per tile.
    func runDirectAVX512(rows r0: Int, _ r1: Int, of a: UnsafePointer<Float>, rowStride: Int, panels q0: Int, _ q1: Int,
                         tile: UnsafeMutablePointer<Float>) {
        let mr = AVX512Tile.rows, nr = GEMMTile.columns
        precondition(mr == 8, "AVX512RowPointers holds 8 rows")
        var q = q0
        while q < q1 {
            let pair = q + 1 < q1
            let width = pair ? 2 * nr : nr
            let j = q * nr, validColumns = min(width, columns - j)
            let b0 = UnsafePointer(bPack + q * nr * kc), b1 = UnsafePointer(bPack + (q + 1) * nr * kc)
            var row = r0
            while row < r1 {
                let validRows = min(mr, r1 - row)
                var pointers = AVX512RowPointers(a + row * rowStride)
                pointers.with { p in
                    for r in 1..<validRows { p[r] = a + (row + r) * rowStride }
                }
                let bias = c.rowBias.map { $0 + row }
                let full = validRows == mr && validColumns == width && c.columnStride == 1
                let out = full ? c.base + row * c.rowStride + column0 + j : tile
                let ldc = full ? c.rowStride : width
                pointers.with { p in
                    if pair {
                        avx512RowsKernel8x32(kc, p, b0, b1, out, ldc, alpha: full ? alpha : 1, beta: full ? beta : 0,
                                             rowBias: full ? bias : nil)
                    } else {
                        avx512RowsKernel8x16(kc, p, b0, out, ldc, alpha: full ? alpha : 1, beta: full ? beta : 0,
                                             rowBias: full ? bias : nil)
                    }
                }
                if !full {
                    gemmMergeTile(tile, tileStride: width, rows: validRows, columns: validColumns,
                                  c.base + row * c.rowStride + (column0 + j) * c.columnStride,
                                  rowStride: c.rowStride, columnStride: c.columnStride,
                                  alpha: alpha, beta: beta, rowBias: bias)
                }
                row += mr
            }
            q += pair ? 2 : 1
        }
    }
}
#endif
