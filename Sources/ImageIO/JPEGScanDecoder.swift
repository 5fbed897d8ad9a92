// The MCU walk of one scan (interleaved or not), restart intervals, running out of data, and the
// sequential (baseline / extended Huffman) block decoder.

/// Decodes the blocks of one kind of scan. Specialised generically into the MCU walk.
protocol JPEGBlockCoder {
    /// Decodes one block of the scan's component `slot` into `block` (zeroed, or holding earlier scans'
    /// coefficients). Returns false when the block certainly has no AC coefficient.
    mutating func decode(_ block: UnsafeMutablePointer<Int16>, slot: Int, _ reader: inout JPEGBitReader) -> Bool
    /// Scan start and every restart marker: DC predictors and EOB run back to 0.
    mutating func restart()
}

/// Where decoded blocks go: straight through the IDCT into the sample planes (single-scan sequential
/// files), or into the coefficient store (progressive and multi-scan files).
struct JPEGBlockSink {
    let direct: Bool
    let buffers: JPEGBuffers
    let scratch: UnsafeMutablePointer<Int16>
}

enum JPEGScanDecoder {
    /// Decodes the scan's entropy-coded data from `source`, which is positioned just after the SOS header.
    static func run<Coder: JPEGBlockCoder>(_ coder: inout Coder, scan: JPEGScan, frame: JPEGFrame,
                                          restartInterval: Int, source: inout JPEGEntropySource,
                                          sink: JPEGBlockSink) throws(JPEGProblem) {
        // The blocks of one MCU: (slot, component, column and row offsets within the MCU).
        var slots: [Int] = [], dxs: [Int] = [], dys: [Int] = []
        let mcusWide: Int, mcuCount: Int
        if scan.components.count == 1 {
            let c = frame.components[scan.components[0]]
            mcusWide = c.blocksWide
            mcuCount = c.blocksWide * c.blocksHigh
            slots = [0]; dxs = [0]; dys = [0]
        } else {
            mcusWide = frame.mcusWide
            mcuCount = frame.mcusWide * frame.mcusHigh
            for (slot, index) in scan.components.enumerated() {
                let c = frame.components[index]
                for dy in 0..<c.v {
                    for dx in 0..<c.h {
                        slots.append(slot); dxs.append(dx); dys.append(dy)
                    }
                }
            }
        }
        let interleaved = scan.components.count > 1
        let components = scan.components.map { frame.components[$0] }
        let planes = scan.components.map { sink.buffers.planes[$0] }
        let strides = scan.components.map { sink.buffers.strides[$0] }
        let coefficients = sink.direct ? [] : scan.components.map { sink.buffers.coefficients[$0] }
        let quant = scan.components.map { sink.buffers.quant[$0] }
        let scratch = sink.scratch

        var reader = source.nextSegment()
        coder.restart()
        var untilRestart = restartInterval
        var outOfData = false
        for mcu in 0..<mcuCount {
            if restartInterval > 0 {
                if untilRestart == 0 {
                    // After a segment that ended at a non-RST marker, libjpeg leaves the rest of the
                    // scan at zero (its insufficient_data flag stays set).
                    if source.exhausted && source.lastEnd == .endOfFile {
                        throw JPEGProblem("file is truncated: entropy-coded data ends before MCU \(mcu + 1) of \(mcuCount)")
                    }
                    outOfData = source.exhausted
                    reader = source.nextSegment()
                    coder.restart()
                    untilRestart = restartInterval
                }
                untilRestart -= 1
            }
            let mcuRow = mcu / mcusWide, mcuColumn = mcu - mcuRow * mcusWide
            for b in 0..<slots.count {
                let slot = slots[b]
                let c = components[slot]
                let bx = interleaved ? mcuColumn * c.h + dxs[b] : mcuColumn
                let by = interleaved ? mcuRow * c.v + dys[b] : mcuRow
                if sink.direct {
                    // libjpeg leaves an MCU at zero once the segment's data ran out (uniform grey).
                    let hasAC = outOfData ? false : coder.decode(scratch, slot: slot, &reader)
                    if bx < c.blocksWide && by < c.blocksHigh {
                        let out = planes[slot] + (by * 8) * strides[slot] + bx * 8
                        if hasAC {
                            JPEGIDCT.transform(scratch, quant[slot], out, strides[slot])
                        } else {
                            JPEGIDCT.transformDC(scratch[0], quant[slot][0], out, strides[slot])
                        }
                    }
                    if hasAC {
                        UnsafeMutableRawPointer(scratch).initializeMemory(as: UInt8.self, repeating: 0, count: 128)
                    } else {
                        scratch[0] = 0
                    }
                } else if !outOfData {
                    let block = coefficients[slot] + (by * c.paddedBlocksWide + bx) * 64
                    _ = coder.decode(block, slot: slot, &reader)
                }
            }
            if !outOfData && reader.overran {
                if source.lastEnd == .endOfFile {
                    throw JPEGProblem("file is truncated: entropy-coded data ends in MCU \(mcu + 1) of \(mcuCount)")
                }
                outOfData = true
            }
        }
    }
}

/// Sequential (SOF0/SOF1) Huffman blocks: DC difference, then run/size coded AC coefficients.
struct JPEGSequentialCoder: JPEGBlockCoder {
    let dc: [JPEGHuffmanLUT]
    let ac: [JPEGHuffmanLUT]
    let zigzag: UnsafePointer<Int32>
    /// DC predictor per scan component (scalar memory: a SIMD4 lane store stalled store forwarding).
    let predictors: UnsafeMutablePointer<Int32>

    init(dc: [JPEGHuffmanLUT], ac: [JPEGHuffmanLUT], zigzag: UnsafePointer<Int32>, predictors: UnsafeMutablePointer<Int32>) {
        self.dc = dc
        self.ac = ac
        self.zigzag = zigzag
        self.predictors = predictors
    }

    mutating func restart() { predictors.update(repeating: 0, count: 4) }

    @inline(__always)
    mutating func decode(_ block: UnsafeMutablePointer<Int16>, slot: Int, _ reader: inout JPEGBitReader) -> Bool {
        reader.ensure32()
        let s = dc[slot].decode(&reader)
        // After a code of at most 17 bits, 15 or more bits remain for the value (s <= 15).
        let diff = s != 0 ? Int32(truncatingIfNeeded: jpegExtend(reader.take(s), s)) : 0
        let value = predictors[slot] &+ diff  // wraps like libjpeg's unsigned addition
        predictors[slot] = value
        block[0] = Int16(truncatingIfNeeded: value)

        let table = ac[slot]
        let zigzag = self.zigzag
        var k = 1
        while k < 64 {
            reader.ensure32()
            let f = Int(table.fastAC[reader.peek(JPEGHuffmanDecoder.lookaheadBits)])
            if f != 0 {
                // Code and value in one lookup: run, value, total length.
                reader.skip(f & 15)
                let value = f &>> 8
                if value == 0 {  // EOB or ZRL
                    if f & 0xF0 == 0 { break }
                    k &+= 16
                    continue
                }
                k &+= (f &>> 4) & 15
                block[Int(zigzag[k])] = Int16(truncatingIfNeeded: value)
                k &+= 1
                continue
            }
            let symbol = table.decode(&reader)
            let r = symbol &>> 4, size = symbol & 15
            if size != 0 {
                k &+= r
                block[Int(zigzag[k])] = Int16(truncatingIfNeeded: jpegExtend(reader.take(size), size))
                k &+= 1
            } else {
                if r != 15 { break }
                k &+= 16
            }
        }
        return k > 1
    }
}
