#if arch(x86_64)
import KernelsAVX512

/// One depth block of the shifted-view weight gradient on the AVX-512 rows kernels: a tile of
/// AVX512Tile.rows taps (rows read in place from the padded phase planes) × all Cout panels, two
/// 16-channel panels per register tile. Same layout and summation order as the SIMD8 walk in
/// `conv2dBackwardWeightShifted`.
struct WeightGradientWalk {
    let kh, kw, sy, sx, wq, planeStride, taps, coutPadded, v0, kc: Int
    let beta: Float
    let padded: UnsafePointer<Float>
    let panels: UnsafePointer<Float>
    let accumulator: UnsafeMutablePointer<Float>

    func tileAVX512(_ tile: Int) {
        let mr = AVX512Tile.rows, nr = GEMMTile.columns
        var pointers = AVX512RowPointers(padded)
        var cursor = TapCursor(tile * mr, kh: kh, kw: kw)
        pointers.with { row in
            for r in 0..<mr {
                // Rows past the last tap read tap 0 (valid memory); their sums are never used.
                let tap = tile * mr + r < taps ? cursor : TapCursor(0, kh: kh, kw: kw)
                let phase = (tap.c * sy + tap.ky % sy) * sx + tap.kx % sx
                row[r] = padded + phase * planeStride + (tap.ky / sy) * wq + tap.kx / sx + v0
                cursor.advance()
            }
        }
        let cTile = accumulator + tile * mr * coutPadded
        let count = coutPadded / nr
        var q = 0
        while q < count {
            let b0 = panels + q * kc * nr
            pointers.with { row in
                if q + 1 < count {
                    avx512RowsKernel8x32(kc, row, b0, b0 + kc * nr, cTile + q * nr, coutPadded, alpha: 1, beta: beta, rowBias: nil)
                } else {
                    avx512RowsKernel8x16(kc, row, b0, cTile + q * nr, coutPadded, alpha: 1, beta: beta, rowBias: nil)
                }
            }
            q += 2
        }
    }
}
#endif
