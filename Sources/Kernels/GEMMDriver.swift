/// The BLIS-style blocked GEMM loop nests shared by `sgemm` and the convolutions (which plug in
/// im2col operands that pack straight from the image).
///
/// General path: jc (nc columns) → pc (kc depth; the kc×nc B block is packed once, shared by the
/// threads) → work items (mc rows × a chunk of 16-column panels, handed out dynamically; each item
/// packs its A rows into its thread's scratch) → jr (panels) → ir (6-row tiles) → micro-kernel.
/// Small-A path (`gemmSmallA`): A packed whole, B panels packed just before use (see there).
/// Block sizes are balanced (576 = 2×288, not 384+192) so no block is a thin remainder.
enum GEMMBlocking {
    static let kcMax = 512
    static let mcMax = 96
    static let ncMax = 4096
    /// A (padded) up to this many floats is packed whole and kept in L2 (`gemmSmallA`).
    static let smallAFloats = 192 * 1024
    /// Rows of C the small-A path writes per sweep over a B chunk: few enough pages (with C rows
    /// often ≥ 4 KB apart) to stay within the L1 TLB.
    static let smallARowBlock = 48
    /// B blocks at most this wide read contiguous A rows in place instead of packing them.
    static let directRowsMaxColumns = 256
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
/// Uses up to `Parallel.threadCount` threads (one for small problems) and the micro-kernels of `isa`.
func gemmDriver<A: GEMMOperandA, B: GEMMOperandB>(
    m: Int, n: Int, k: Int, alpha: Float, a: A, b: B, beta: Float, c: GEMMOutput, isa: KernelISA = KernelDispatch.gemm
) {
    let mr = GEMMTile.rows(isa), nr = GEMMTile.columns
    let threads = 2 * m * n * k < GEMMBlocking.parallelFlops ? 1 : max(1, Parallel.threadCount)
    let kc = GEMMBlocking.balanced(k, maximum: GEMMBlocking.kcMax, multiple: 1)
    let mPadded = (m + mr - 1) / mr * mr
    if mPadded * k <= GEMMBlocking.smallAFloats && n >= 64 * nr {
        gemmSmallA(m: m, n: n, k: k, kc: kc, alpha: alpha, a: a, b: b, beta: beta, c: c, threads: threads, isa: isa)
        return
    }
    let nc = GEMMBlocking.balanced(n, maximum: GEMMBlocking.ncMax, multiple: nr)
    // Row chunks (the work items): about mcMax rows, their count a multiple of the threads.
    let tilesM = (m + mr - 1) / mr
    let rowChunks = min(tilesM, (((m + GEMMBlocking.mcMax - 1) / GEMMBlocking.mcMax + threads - 1) / threads) * threads)
    let mc = (tilesM + rowChunks - 1) / rowChunks * mr  // the largest chunk; chunks differ by ≤ 1 tile
    let tileFloats = GEMMTile.scratchFloats
    let scratchFloats = (mc * kc + 15) & ~15 + tileFloats  // packed A rows + one edge tile
    let bFloats = nc * kc

    Workspace.shared.withBuffer(floats: bFloats + threads * scratchFloats) { buffer in
        let bPack = buffer
        var jc = 0
        while jc < n {
            let ncb = min(nc, n - jc)
            let panels = (ncb + nr - 1) / nr
            // Enough items for dynamic balance; column chunks only when rows alone are too few
            // (each column chunk re-packs its A rows).
            // Column chunks only when there are fewer row chunks than threads, and only as many as
            // keep ≥ 256 columns each (every column chunk re-packs its A rows).
            let columnChunks = rowChunks >= threads ? 1
                : max(1, min((threads + rowChunks - 1) / rowChunks, ncb / 256))
            // A rows that are contiguous in memory are read in place when B is narrow: packing
            // them would cost as much as the few columns they meet (e.g. Cᵀ of a weight gradient).
            let directRows = ncb <= GEMMBlocking.directRowsMaxColumns ? a.contiguousRows : nil
            let packChunks = threads == 1 ? 1 : min(panels, 4 * threads)
            var pc = 0
            while pc < k {
                let kcb = min(kc, k - pc)
                var blockC = c
                if pc != 0 { blockC.rowBias = nil }
                let task = GEMMBlockTask(kc: kcb, alpha: alpha, beta: pc == 0 ? beta : 1, c: blockC,
                                         column0: jc, columns: ncb, bPack: bPack, isa: isa)
                Parallel.forEach(packChunks) { chunk in
                    let q0 = panels * chunk / packChunks, q1 = panels * (chunk + 1) / packChunks
                    if q1 > q0 {
                        b.packB(depth: pc, kcb, columns: jc + q0 * nr, min(ncb, q1 * nr) - q0 * nr,
                                into: bPack + q0 * nr * kcb)
                    }
                }
                Parallel.forEachWithSlot(rowChunks * columnChunks, slots: threads) { item, slot in
                    let rowChunk = item / columnChunks, columnChunk = item % columnChunks
                    let r0 = tilesM * rowChunk / rowChunks * mr, r1 = min(m, tilesM * (rowChunk + 1) / rowChunks * mr)
                    let q0 = panels * columnChunk / columnChunks, q1 = panels * (columnChunk + 1) / columnChunks
                    let scratch = buffer + bFloats + slot * scratchFloats
                    if let directRows {
                        task.runDirect(rows: r0, r1, of: directRows.base + pc, rowStride: directRows.rowStride,
                                       panels: q0, q1, tile: scratch + scratchFloats - tileFloats)
                    } else {
                        a.packA(rows: r0, r1 - r0, depth: pc, kcb, mr: mr, into: scratch)
                        task.run(rows: r0, r1, panels: q0, q1, aPack: scratch, tile: scratch + scratchFloats - tileFloats)
                    }
                }
                pc += kcb
            }
            jc += ncb
        }
    }
}

/// One work item inside a (jc, pc) block: packed A rows × packed B panels → C.
struct GEMMBlockTask {
    let kc: Int
    let alpha, beta: Float
    let c: GEMMOutput
    let column0, columns: Int
    let bPack: UnsafeMutablePointer<Float>
    let isa: KernelISA

    init(kc: Int, alpha: Float, beta: Float, c: GEMMOutput, column0: Int, columns: Int,
         bPack: UnsafeMutablePointer<Float>, isa: KernelISA) {
        self.kc = kc; self.alpha = alpha; self.beta = beta; self.c = c
        self.column0 = column0; self.columns = columns; self.bPack = bPack; self.isa = isa
    }

    /// Rows r0..<r1 (A packed at `aPack` from row r0), panels q0..<q1 of the block.
    func run(rows r0: Int, _ r1: Int, panels q0: Int, _ q1: Int,
             aPack: UnsafeMutablePointer<Float>, tile: UnsafeMutablePointer<Float>) {
        let nr = GEMMTile.columns
        gemmPanels(isa: isa, kc: kc, aPack: aPack, rows: r1 - r0, bPanels: bPack + q0 * nr * kc, count: q1 - q0,
                   columnsLeft: columns - q0 * nr, c: c, row0: r0, column: column0 + q0 * nr,
                   alpha: alpha, beta: beta, tile: tile)
    }
}

/// Panels 0..<count of a packed B block (`bPanels`, nr·kc floats apart; C columns from `column`,
/// `columnsLeft` of them valid) against all row tiles of a packed A block: the SIMD8 kernels one
/// panel at a time, the AVX-512 kernels two panels (32 columns) at a time.
@inline(__always)
func gemmPanels(isa: KernelISA, kc: Int, aPack: UnsafePointer<Float>, rows: Int, bPanels: UnsafePointer<Float>, count: Int,
                columnsLeft: Int, c: GEMMOutput, row0: Int, column: Int, alpha: Float, beta: Float,
                tile: UnsafeMutablePointer<Float>) {
    let nr = GEMMTile.columns
    #if arch(x86_64)
    if isa == .avx512 {
        var q = 0
        while q < count {
            let pair = q + 1 < count
            gemmPanelColumnAVX512(kc: kc, aPack: aPack, rows: rows, bPanel0: bPanels + q * nr * kc,
                                  bPanel1: pair ? bPanels + (q + 1) * nr * kc : nil,
                                  validColumns: min(pair ? 2 * nr : nr, columnsLeft - q * nr), c: c, row0: row0,
                                  column: column + q * nr, alpha: alpha, beta: beta, tile: tile)
            q += pair ? 2 : 1
        }
        return
    }
    #endif
    for q in 0..<count {
        gemmPanelColumn(kc: kc, aPack: aPack, rows: rows, bPanel: bPanels + q * nr * kc,
                        validColumns: min(nr, columnsLeft - q * nr), c: c, row0: row0, column: column + q * nr,
                        alpha: alpha, beta: beta, tile: tile)
    }
}

extension GEMMBlockTask {
    /// Like `run`, with A rows read in place: row i at `a + i·rowStride` (already offset to this
    /// depth block). Rows past r1 in the last tile repeat row r0 (their sums are discarded).
    func runDirect(rows r0: Int, _ r1: Int, of a: UnsafePointer<Float>, rowStride: Int, panels q0: Int, _ q1: Int,
                   tile: UnsafeMutablePointer<Float>) {
        #if arch(x86_64)
        if isa == .avx512 {
            runDirectAVX512(rows: r0, r1, of: a, rowStride: rowStride, panels: q0, q1, tile: tile)
            return
        }
        #endif
        let mr = GEMMTile.rows(isa), nr = GEMMTile.columns
        for q in q0..<q1 {
            let j = q * nr, validColumns = min(nr, columns - j)
            let bPanel = UnsafePointer(bPack + q * nr * kc)
            var row = r0
            while row < r1 {
                let validRows = min(mr, r1 - row)
                let p0 = a + row * rowStride
                @inline(__always) func pointer(_ r: Int) -> UnsafePointer<Float> { r < validRows ? p0 + r * rowStride : p0 }
                let bias = c.rowBias.map { $0 + row }
                if validRows == mr && validColumns == nr && c.columnStride == 1 {
                    gemmMicroKernelRows6x16(kc, p0, pointer(1), pointer(2), pointer(3), pointer(4), pointer(5), bPanel,
                                            c.base + row * c.rowStride + column0 + j, c.rowStride,
                                            alpha: alpha, beta: beta, rowBias: bias)
                } else {
                    gemmMicroKernelRows6x16(kc, p0, pointer(1), pointer(2), pointer(3), pointer(4), pointer(5), bPanel,
                                            tile, nr, beta: 0)
                    gemmMergeTile(tile, rows: validRows, columns: validColumns,
                                  c.base + row * c.rowStride + (column0 + j) * c.columnStride,
                                  rowStride: c.rowStride, columnStride: c.columnStride,
                                  alpha: alpha, beta: beta, rowBias: bias)
                }
                row += mr
            }
        }
    }
}

/// All 6-row tiles of a packed A block (`rows` rows) against one packed B panel, into C at
/// (row0.., column..). Full tiles store straight into C; edge tiles go through `tile`.
@inline(__always)
func gemmPanelColumn(kc: Int, aPack: UnsafePointer<Float>, rows: Int, bPanel: UnsafePointer<Float>,
                     validColumns: Int, c: GEMMOutput, row0: Int, column: Int, alpha: Float, beta: Float,
                     tile: UnsafeMutablePointer<Float>) {
    let mr = GEMMTile.rows(.avx2), nr = GEMMTile.columns
    var i = 0
    while i < rows {
        let validRows = min(mr, rows - i)
        let row = row0 + i
        let bias = c.rowBias.map { $0 + row }
        if validRows == mr && validColumns == nr && c.columnStride == 1 {
            gemmMicroKernel6x16(kc, aPack + i * kc, bPanel, c.base + row * c.rowStride + column,
                                c.rowStride, alpha: alpha, beta: beta, rowBias: bias)
        } else if validRows == 4 && validColumns == nr && c.columnStride == 1 {
            gemmMicroKernel4x16(kc, aPack + i * kc, bPanel, c.base + row * c.rowStride + column,
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
/// A is packed whole once and stays in L2; B is packed a chunk of ≤ 16 panels (256 columns) at a
/// time into the thread's L2-sized scratch, right before use, and each panel meets every row tile
/// of A. Chunks are handed out dynamically, so a thread slowed by another process does less.
private func gemmSmallA<A: GEMMOperandA, B: GEMMOperandB>(
    m: Int, n: Int, k: Int, kc: Int, alpha: Float, a: A, b: B, beta: Float, c: GEMMOutput, threads: Int,
    isa: KernelISA
) {
    let mr = GEMMTile.rows(isa), nr = GEMMTile.columns
    let mPadded = (m + mr - 1) / mr * mr
    let depthBlocks = (k + kc - 1) / kc
    let blockFloats = mPadded * kc
    let panels = (n + nr - 1) / nr
    var chunkPanels = max(1, min(16, panels / (8 * threads)))
    if isa == .avx512 && chunkPanels > 1 { chunkPanels &= ~1 }  // whole 32-column pairs per chunk
    let chunks = (panels + chunkPanels - 1) / chunkPanels
    let scratchFloats = kc * nr * chunkPanels + GEMMTile.scratchFloats  // the chunk's B panels + one edge tile
    let aFloats = (depthBlocks * blockFloats + 15) & ~15
    Workspace.shared.withBuffer(floats: aFloats + threads * scratchFloats) { buffer in
        let aPack = buffer
        Parallel.forEach(depthBlocks, estimatedWork: threads == 1 ? 0 : m * k * 4) { d in
            let pc = d * kc
            a.packA(rows: 0, m, depth: pc, min(kc, k - pc), mr: mr, into: aPack + d * blockFloats)
        }
        Parallel.forEachWithSlot(chunks, slots: threads) { chunk, slot in
            let bPanels = buffer + aFloats + slot * scratchFloats
            let tile = bPanels + kc * nr * chunkPanels
            let q0 = chunk * chunkPanels, q1 = min(panels, q0 + chunkPanels)
            let j0 = q0 * nr, columns = min(n, q1 * nr) - j0
            for d in 0..<depthBlocks {
                let pc = d * kc, kcb = min(kc, k - pc)
                // The whole chunk's B block at once: each source row is read as one stream.
                b.packB(depth: pc, kcb, columns: j0, columns, into: bPanels)
                var blockC = c
                if d != 0 { blockC.rowBias = nil }
                // Row blocks × the chunk's panels: C is written block by block (few pages at a
                // time), each B panel stays in L1 across the block's tiles.
                var r0 = 0
                while r0 < m {
                    let r1 = min(m, r0 + GEMMBlocking.smallARowBlock)
                    gemmPanels(isa: isa, kc: kcb, aPack: aPack + d * blockFloats + r0 * kcb, rows: r1 - r0,
                               bPanels: bPanels, count: q1 - q0, columnsLeft: n - j0, c: blockC, row0: r0, column: j0,
                               alpha: alpha, beta: d == 0 ? beta : 1, tile: tile)
                    r0 = r1
                }
            }
        }
    }
}
