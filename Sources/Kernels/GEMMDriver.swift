/// The BLIS-style blocked GEMM loop nest shared by `sgemm` and the convolutions (which plug in
/// im2col operands that pack straight from the image).
///
/// Loops: jc (nc columns) → pc (kc depth, B block packed once, shared) → threads → ic (mc rows,
/// A block packed per thread) → jr (16-column panels) → ir (6-row panels) → micro-kernel.
/// Block sizes are balanced (576 = 2×288, not 512+64) so no block is a thin remainder.
enum GEMMBlocking {
    static let kcMax = 384
    static let mcMax = 96
    static let ncMax = 4096
    /// Below this many flops the GEMM runs on the calling thread only.
    static let parallelFlops = 4_000_000

    /// Splits `total` into ⌈total/maximum⌉ near-equal blocks, each rounded up to `multiple`.
    static func balanced(_ total: Int, maximum: Int, multiple: Int) -> Int {
        let blocks = (total + maximum - 1) / maximum
        let size = (total + blocks - 1) / blocks
        return (size + multiple - 1) / multiple * multiple
    }
}

/// Where the m×n result goes: element (i, j) at `base[i·rowStride + j·columnStride]`.
/// `rowBias` (m values, only with columnStride == 1) is added once: C = alpha·A·B + beta·C + bias.
struct GEMMOutput {
    var base: UnsafeMutablePointer<Float>
    var rowStride: Int
    var columnStride: Int
    var rowBias: UnsafePointer<Float>? = nil
}

/// C = alpha·A·B + beta·C for logical A (m×k) and B (k×n); m, n, k ≥ 1.
/// Uses up to `Parallel.threadCount` threads (fewer for small problems).
func gemmDriver<A: GEMMOperandA, B: GEMMOperandB>(
    m: Int, n: Int, k: Int, alpha: Float, a: A, b: B, beta: Float, c: GEMMOutput
) {
    let mr = GEMMTile.rows, nr = GEMMTile.columns
    let flops = 2 * m * n * k
    let threads = flops < GEMMBlocking.parallelFlops ? 1 : max(1, Parallel.threadCount)
    let kc = GEMMBlocking.balanced(k, maximum: GEMMBlocking.kcMax, multiple: 1)
    let nc = GEMMBlocking.balanced(n, maximum: GEMMBlocking.ncMax, multiple: nr)
    let mc = GEMMBlocking.balanced(m, maximum: GEMMBlocking.mcMax, multiple: mr)
    let aFloats = (mc * kc + 15) & ~15
    let tileFloats = 128
    let bFloats = nc * kc

    Workspace.shared.withBuffer(floats: bFloats + threads * (aFloats + tileFloats)) { buffer in
        let bPack = buffer
        var jc = 0
        while jc < n {
            let ncb = min(nc, n - jc)
            let panels = (ncb + nr - 1) / nr
            let tilesM = (m + mr - 1) / mr
            // Split the block between threads by rows (B packed once, shared) or by column panels
            // (each thread packs its own B panels and all of A): whichever balances better.
            let costRows = ((tilesM + threads - 1) / threads) * panels
            let costColumns = tilesM * ((panels + threads - 1) / threads) + tilesM / 4
            let splitRows = threads > 1 && costRows <= costColumns
            var pc = 0
            while pc < k {
                let kcb = min(kc, k - pc)
                let blockBeta: Float = pc == 0 ? beta : 1
                var blockC = c
                if pc != 0 { blockC.rowBias = nil }
                let task = GEMMBlockTask(m: m, kc: kcb, alpha: alpha, beta: blockBeta, c: blockC, column0: jc,
                                         columns: ncb, mc: mc, bPack: bPack)
                if splitRows {
                    Parallel.forEach(threads) { t in
                        let (q0, q1) = share(panels, t, threads)
                        if q1 > q0 {
                            b.packB(depth: pc, kcb, columns: jc + q0 * nr, min(ncb, q1 * nr) - q0 * nr,
                                    into: bPack + q0 * nr * kcb)
                        }
                    }
                    Parallel.forEach(threads) { t in
                        let (t0, t1) = share(tilesM, t, threads)
                        let scratch = buffer + bFloats + t * (aFloats + tileFloats)
                        task.run(a: a, rows: t0 * mr, min(m, t1 * mr), panels: 0, panels, pc: pc,
                                 aPack: scratch, tile: scratch + aFloats)
                    }
                } else {
                    Parallel.forEach(threads) { t in
                        let (q0, q1) = share(panels, t, threads)
                        if q1 <= q0 { return }
                        b.packB(depth: pc, kcb, columns: jc + q0 * nr, min(ncb, q1 * nr) - q0 * nr,
                                into: bPack + q0 * nr * kcb)
                        let scratch = buffer + bFloats + t * (aFloats + tileFloats)
                        task.run(a: a, rows: 0, m, panels: q0, q1, pc: pc, aPack: scratch, tile: scratch + aFloats)
                    }
                }
                pc += kcb
            }
            jc += ncb
        }
    }
}

/// The [lo, hi) share of `total` items for participant `t` of `count`.
@inline(__always)
private func share(_ total: Int, _ t: Int, _ count: Int) -> (Int, Int) {
    (total * t / count, total * (t + 1) / count)
}

/// One thread's work inside a (jc, pc) block: rows × column panels of C, B already packed.
private struct GEMMBlockTask {
    let m, kc: Int
    let alpha, beta: Float
    let c: GEMMOutput
    let column0, columns, mc: Int
    let bPack: UnsafeMutablePointer<Float>

    init(m: Int, kc: Int, alpha: Float, beta: Float, c: GEMMOutput, column0: Int, columns: Int, mc: Int,
         bPack: UnsafeMutablePointer<Float>) {
        self.m = m; self.kc = kc; self.alpha = alpha; self.beta = beta; self.c = c
        self.column0 = column0; self.columns = columns; self.mc = mc; self.bPack = bPack
    }

    func run<A: GEMMOperandA>(a: A, rows r0: Int, _ r1: Int, panels q0: Int, _ q1: Int, pc: Int,
                              aPack: UnsafeMutablePointer<Float>, tile: UnsafeMutablePointer<Float>) {
        let mr = GEMMTile.rows, nr = GEMMTile.columns
        var ic = r0
        while ic < r1 {
            let mcb = min(mc, r1 - ic)
            a.packA(rows: ic, mcb, depth: pc, kc, into: aPack)
            for q in q0..<q1 {
                let j = q * nr
                let validColumns = min(nr, columns - j)
                let bPanel = UnsafePointer(bPack + q * nr * kc)
                var i = 0
                while i < mcb {
                    let validRows = min(mr, mcb - i)
                    let aPanel = UnsafePointer(aPack + i * kc)
                    let row = ic + i, column = column0 + j
                    let bias = c.rowBias.map { $0 + row }
                    if validRows == mr && validColumns == nr && c.columnStride == 1 {
                        gemmMicroKernel6x16(kc, aPanel, bPanel, c.base + row * c.rowStride + column,
                                            c.rowStride, alpha: alpha, beta: beta, rowBias: bias)
                    } else {
                        gemmMicroKernel6x16(kc, aPanel, bPanel, tile, nr, alpha: 1, beta: 0)
                        gemmMergeTile(tile, rows: validRows, columns: validColumns,
                                      c.base + row * c.rowStride + column * c.columnStride,
                                      rowStride: c.rowStride, columnStride: c.columnStride,
                                      alpha: alpha, beta: beta, rowBias: bias)
                    }
                    i += mr
                }
            }
            ic += mcb
        }
    }
}
