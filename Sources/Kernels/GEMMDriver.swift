/// The BLIS-style blocked GEMM loop nests shared by `sgemm` and the convolutions (which plug in
/// im2col operands that pack straight from the image).
///
/// General path: jc (nc columns) → pc (kc depth; the kc×nc B block is packed once, shared by the
/// threads) → work items (mc rows × a chunk of 16-column panels, handed out dynamically; each item
/// packs its A rows into its thread's scratch) → jr (panels) → ir (6-row tiles) → micro-kernel.
/// Small-A path (`gemmSmallA`): A packed whole, B panels packed just before use (see there).
/// Block sizes are balanced (576 = 2×288, not 384+192) so no block is a thin remainder.
enum GEMMBlocking {
    static let kcMax = 384
    static let mcMax = 96
    static let ncMax = 4096
    /// A (padded) up to this many floats is packed whole and kept in L2 (`gemmSmallA`).
    static let smallAFloats = 192 * 1024
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
/// Uses up to `Parallel.threadCount` threads (one for small problems).
func gemmDriver<A: GEMMOperandA, B: GEMMOperandB>(
    m: Int, n: Int, k: Int, alpha: Float, a: A, b: B, beta: Float, c: GEMMOutput
) {
    let mr = GEMMTile.rows, nr = GEMMTile.columns
    let threads = 2 * m * n * k < GEMMBlocking.parallelFlops ? 1 : max(1, Parallel.threadCount)
    let kc = GEMMBlocking.balanced(k, maximum: GEMMBlocking.kcMax, multiple: 1)
    let mPadded = (m + mr - 1) / mr * mr
    if mPadded * k <= GEMMBlocking.smallAFloats && n >= 64 * nr {
        gemmSmallA(m: m, n: n, k: k, kc: kc, alpha: alpha, a: a, b: b, beta: beta, c: c, threads: threads)
        return
    }
    let nc = GEMMBlocking.balanced(n, maximum: GEMMBlocking.ncMax, multiple: nr)
    let mc = GEMMBlocking.balanced(m, maximum: GEMMBlocking.mcMax, multiple: mr)
    let scratchFloats = (mc * kc + 15) & ~15 + 128  // packed A rows + one edge tile
    let bFloats = nc * kc
    let rowChunks = (m + mc - 1) / mc

    Workspace.shared.withBuffer(floats: bFloats + threads * scratchFloats) { buffer in
        let bPack = buffer
        var jc = 0
        while jc < n {
            let ncb = min(nc, n - jc)
            let panels = (ncb + nr - 1) / nr
            // Enough items for dynamic balance; column chunks only when rows alone are too few
            // (each column chunk re-packs its A rows).
            let columnChunks = threads == 1 ? 1 : min(panels, max(1, (4 * threads + rowChunks - 1) / rowChunks))
            let packChunks = threads == 1 ? 1 : min(panels, 4 * threads)
            var pc = 0
            while pc < k {
                let kcb = min(kc, k - pc)
                var blockC = c
                if pc != 0 { blockC.rowBias = nil }
                let task = GEMMBlockTask(kc: kcb, alpha: alpha, beta: pc == 0 ? beta : 1, c: blockC,
                                         column0: jc, columns: ncb, bPack: bPack)
                Parallel.forEach(packChunks) { chunk in
                    let q0 = panels * chunk / packChunks, q1 = panels * (chunk + 1) / packChunks
                    if q1 > q0 {
                        b.packB(depth: pc, kcb, columns: jc + q0 * nr, min(ncb, q1 * nr) - q0 * nr,
                                into: bPack + q0 * nr * kcb)
                    }
                }
                Parallel.forEachWithSlot(rowChunks * columnChunks, slots: threads) { item, slot in
                    let rowChunk = item / columnChunks, columnChunk = item % columnChunks
                    let r0 = rowChunk * mc, r1 = min(m, r0 + mc)
                    let q0 = panels * columnChunk / columnChunks, q1 = panels * (columnChunk + 1) / columnChunks
                    let scratch = buffer + bFloats + slot * scratchFloats
                    a.packA(rows: r0, r1 - r0, depth: pc, kcb, into: scratch)
                    task.run(rows: r0, r1, panels: q0, q1, aPack: scratch, tile: scratch + scratchFloats - 128)
                }
                pc += kcb
            }
            jc += ncb
        }
    }
}

/// One work item inside a (jc, pc) block: packed A rows × packed B panels → C.
private struct GEMMBlockTask {
    let kc: Int
    let alpha, beta: Float
    let c: GEMMOutput
    let column0, columns: Int
    let bPack: UnsafeMutablePointer<Float>

    init(kc: Int, alpha: Float, beta: Float, c: GEMMOutput, column0: Int, columns: Int,
         bPack: UnsafeMutablePointer<Float>) {
        self.kc = kc; self.alpha = alpha; self.beta = beta; self.c = c
        self.column0 = column0; self.columns = columns; self.bPack = bPack
    }

    /// Rows r0..<r1 (A packed at `aPack` from row r0), panels q0..<q1 of the block.
    func run(rows r0: Int, _ r1: Int, panels q0: Int, _ q1: Int,
             aPack: UnsafeMutablePointer<Float>, tile: UnsafeMutablePointer<Float>) {
        let nr = GEMMTile.columns
        for q in q0..<q1 {
            let j = q * nr
            gemmPanelColumn(kc: kc, aPack: aPack, rows: r1 - r0, bPanel: bPack + q * nr * kc,
                            validColumns: min(nr, columns - j), c: c, row0: r0, column: column0 + j,
                            alpha: alpha, beta: beta, tile: tile)
        }
    }
}

/// All 6-row tiles of a packed A block (`rows` rows) against one packed B panel, into C at
/// (row0.., column..). Full tiles store straight into C; edge tiles go through `tile`.
@inline(__always)
func gemmPanelColumn(kc: Int, aPack: UnsafePointer<Float>, rows: Int, bPanel: UnsafePointer<Float>,
                     validColumns: Int, c: GEMMOutput, row0: Int, column: Int, alpha: Float, beta: Float,
                     tile: UnsafeMutablePointer<Float>) {
    let mr = GEMMTile.rows, nr = GEMMTile.columns
    var i = 0
    while i < rows {
        let validRows = min(mr, rows - i)
        let row = row0 + i
        let bias = c.rowBias.map { $0 + row }
        if validRows == mr && validColumns == nr && c.columnStride == 1 {
            gemmMicroKernel6x16(kc, aPack + i * kc, bPanel, c.base + row * c.rowStride + column,
                                c.rowStride, alpha: alpha, beta: beta, rowBias: bias)
        } else {
            gemmMicroKernel6x16(kc, aPack + i * kc, bPanel, tile, nr, alpha: 1, beta: 0)
            gemmMergeTile(tile, rows: validRows, columns: validColumns,
                          c.base + row * c.rowStride + column * c.columnStride,
                          rowStride: c.rowStride, columnStride: c.columnStride,
                          alpha: alpha, beta: beta, rowBias: bias)
        }
        i += mr
    }
}

/// The GEMM for a small A (m·k ≤ `smallAFloats`, e.g. conv weights with Cout = 64) and a wide B:
/// A is packed whole once and stays in L2; each 16-column B panel is packed right before use into
/// an L1-sized per-thread buffer and meets every row tile of A, all depth blocks in turn, so the C
/// tile stays in cache too. Column panels are handed out in chunks, dynamically, so a thread
/// slowed by another process does less of the work.
private func gemmSmallA<A: GEMMOperandA, B: GEMMOperandB>(
    m: Int, n: Int, k: Int, kc: Int, alpha: Float, a: A, b: B, beta: Float, c: GEMMOutput, threads: Int
) {
    let mr = GEMMTile.rows, nr = GEMMTile.columns
    let mPadded = (m + mr - 1) / mr * mr
    let depthBlocks = (k + kc - 1) / kc
    let blockFloats = mPadded * kc
    let scratchFloats = kc * nr + 128  // one B panel + one edge tile (keeps panels 64-byte aligned)
    let aFloats = (depthBlocks * blockFloats + 15) & ~15
    Workspace.shared.withBuffer(floats: aFloats + threads * scratchFloats) { buffer in
        let aPack = buffer
        Parallel.forEach(depthBlocks, estimatedWork: threads == 1 ? 0 : m * k * 4) { d in
            let pc = d * kc
            a.packA(rows: 0, m, depth: pc, min(kc, k - pc), into: aPack + d * blockFloats)
        }
        let panels = (n + nr - 1) / nr
        let chunkPanels = max(1, min(16, panels / (8 * threads)))
        let chunks = (panels + chunkPanels - 1) / chunkPanels
        Parallel.forEachWithSlot(chunks, slots: threads) { chunk, slot in
            let bPanel = buffer + aFloats + slot * scratchFloats
            let tile = bPanel + kc * nr
            for q in (chunk * chunkPanels)..<min(panels, (chunk + 1) * chunkPanels) {
                let j = q * nr
                let validColumns = min(nr, n - j)
                for d in 0..<depthBlocks {
                    let pc = d * kc, kcb = min(kc, k - pc)
                    b.packB(depth: pc, kcb, columns: j, validColumns, into: bPanel)
                    var blockC = c
                    if d != 0 { blockC.rowBias = nil }
                    gemmPanelColumn(kc: kcb, aPack: aPack + d * blockFloats, rows: m, bPanel: bPanel,
                                    validColumns: validColumns, c: blockC, row0: 0, column: j,
                                    alpha: alpha, beta: d == 0 ? beta : 1, tile: tile)
                }
            }
        }
    }
}
