#if arch(x86_64)
import KernelsAVX512

/// The shifted-view forward convolution's tile walk for the AVX-512 gather kernels: 32 virtual
/// pixels (two 16-pixel panels) × AVX512Tile.rows output channels per register tile. Same padded
/// planes, packed weights and depth blocks as the SIMD8 walk in `Conv2dShifted.forward`.
struct ShiftedWalk {
    let wp, wo, pixels, virtualPixels, cout, taps, kc, depthBlocks, blockFloats: Int
    let aPack: UnsafePointer<Float>
    let padded: UnsafePointer<Float>
    let offsets: UnsafePointer<Int>
    let bias: UnsafePointer<Float>?
    let out: UnsafeMutablePointer<Float>

    /// Panels q0..<q1 (16 virtual pixels each), two at a time.
    func panelsAVX512(_ q0: Int, _ q1: Int, tile: UnsafeMutablePointer<Float>) {
        let mr = AVX512Tile.rows, nr = GEMMTile.columns
        var q = q0
        while q < q1 {
            let width = q + 1 < q1 ? 2 * nr : nr
            let v0 = q * nr
            // Direct stores when all virtual pixels of the tile are real pixels of one output row.
            let oy = v0 / wp, ox = v0 - oy * wp
            let direct = ox + width <= wo
            let bBase = padded + v0
            for d in 0..<depthBlocks {
                let pc = d * kc, kcb = min(kc, taps - pc)
                let beta: Float = d == 0 ? 0 : 1
                let aBlock = aPack + d * blockFloats
                var i = 0
                while i < cout {
                    let validRows = min(mr, cout - i)
                    let rowBias = d == 0 ? bias.map { $0 + i } : nil
                    let full = direct && validRows == mr
                    let c = full ? out + i * pixels + oy * wo + ox : tile
                    if width == 2 * nr {
                        avx512GatherKernel8x32(kcb, aBlock + i * kcb, bBase, offsets + pc, c, full ? pixels : width,
                                               beta: full ? beta : 0, rowBias: full ? rowBias : nil)
                    } else {
                        avx512GatherKernel8x16(kcb, aBlock + i * kcb, bBase, offsets + pc, c, full ? pixels : width,
                                               beta: full ? beta : 0, rowBias: full ? rowBias : nil)
                    }
                    if !full {
                        Conv2dShifted.scatterVirtualTile(tile, width: width, rows: validRows, firstPixel: v0,
                                                         virtualPixels: virtualPixels, wp: wp, wo: wo,
                                                         into: out + i * pixels, plane: pixels, beta: beta, rowBias: rowBias)
                    }
                    i += mr
                }
            }
            q += width / nr
        }
    }
}
#endif
