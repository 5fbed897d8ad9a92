// Working memory of one decode: sample planes, coefficient store, latched quantisation tables,
// entropy scratch. Allocated once per image (no allocation per block); freed on deinit.

final class JPEGBuffers {
    /// Per component: samples of the padded MCU grid, `strides[c]` bytes per row.
    private(set) var planes: [UnsafeMutablePointer<UInt8>] = []
    private(set) var strides: [Int] = []
    /// Per component: 64 coefficients per block, row-major over the padded block grid
    /// (progressive and multi-scan files only; empty otherwise).
    private(set) var coefficients: [UnsafeMutablePointer<Int16>] = []
    /// Per component: the quantisation table latched at the component's first scan (row-major).
    let quant: [UnsafeMutablePointer<Int32>]
    private(set) var quantLatched: [Bool]
    /// One block for the direct path; 32-byte aligned for SIMD loads.
    let scratch: UnsafeMutablePointer<Int16>
    /// Unstuffed entropy-coded data of the current segment plus zero padding.
    let entropy: UnsafeMutablePointer<UInt8>
    /// `JPEGTables.naturalOrder` as Int32 for the block decoders.
    let zigzag: UnsafeMutablePointer<Int32>
    /// DC predictors of the current scan's components.
    let predictors: UnsafeMutablePointer<Int32>

    init(frame: JPEGFrame, fileSize: Int) {
        let count = frame.components.count
        quant = (0..<count).map { _ in
            let q = UnsafeMutablePointer<Int32>.allocate(capacity: 64)
            q.initialize(repeating: 0, count: 64)
            return q
        }
        quantLatched = Array(repeating: false, count: count)
        scratch = UnsafeMutableRawPointer.allocate(byteCount: 128, alignment: 64).bindMemory(to: Int16.self, capacity: 64)
        scratch.initialize(repeating: 0, count: 64)
        entropy = .allocate(capacity: fileSize + JPEGEntropySource.padding)
        zigzag = .allocate(capacity: JPEGTables.naturalOrder.count)
        predictors = .allocate(capacity: 4)
        predictors.initialize(repeating: 0, count: 4)
        for (k, position) in JPEGTables.naturalOrder.enumerated() { zigzag[k] = Int32(position) }
        for c in frame.components {
            let stride = c.paddedBlocksWide * 8
            // Not zeroed: every sample the upsampler reads (rows < height, columns < width of the
            // component) lies in a block that the scan decoder or `transformCoefficients` writes.
            let plane = UnsafeMutablePointer<UInt8>.allocate(capacity: stride * c.paddedBlocksHigh * 8)
            planes.append(plane)
            strides.append(stride)
        }
    }

    deinit {
        for p in planes { p.deallocate() }
        for p in coefficients { p.deallocate() }
        for q in quant { q.deallocate() }
        scratch.deallocate()
        entropy.deallocate()
        zigzag.deallocate()
        predictors.deallocate()
    }

    var hasCoefficients: Bool { !coefficients.isEmpty }

    /// Allocates the zeroed coefficient store (once).
    func allocateCoefficients(frame: JPEGFrame) {
        guard coefficients.isEmpty else { return }
        for c in frame.components {
            let n = c.paddedBlocksWide * c.paddedBlocksHigh * 64
            let store = UnsafeMutablePointer<Int16>.allocate(capacity: n)
            store.initialize(repeating: 0, count: n)
            coefficients.append(store)
        }
    }

    /// Latches `table` for component `index` unless it already has one (libjpeg's latch_quant_tables).
    func latchQuant(_ index: Int, _ table: [Int32]) {
        guard !quantLatched[index] else { return }
        for k in 0..<64 { quant[index][k] = table[k] }
        quantLatched[index] = true
    }

    func isQuantLatched(_ index: Int) -> Bool { quantLatched[index] }

    /// Inverse-transforms every stored block that holds samples into the planes.
    func transformCoefficients(frame: JPEGFrame) {
        for (index, c) in frame.components.enumerated() {
            let store = coefficients[index], plane = planes[index], stride = strides[index], q = quant[index]
            for by in 0..<c.blocksHigh {
                for bx in 0..<c.blocksWide {
                    let block = store + (by * c.paddedBlocksWide + bx) * 64
                    let out = plane + by * 8 * stride + bx * 8
                    if JPEGBuffers.hasAC(block) {
                        JPEGIDCT.transform(block, q, out, stride)
                    } else {
                        JPEGIDCT.transformDC(block[0], q[0], out, stride)
                    }
                }
            }
        }
    }

    @inline(__always)
    static func hasAC(_ block: UnsafePointer<Int16>) -> Bool {
        let raw = UnsafeRawPointer(block)
        var any = raw.loadUnaligned(as: SIMD8<Int16>.self) & SIMD8(0, -1, -1, -1, -1, -1, -1, -1)
        for r in 1..<8 { any |= raw.loadUnaligned(fromByteOffset: 16 * r, as: SIMD8<Int16>.self) }
        return any != SIMD8()
    }
}
