import Foundation

// Marker segments: SOF (frame and component geometry), DQT, DHT, DRI, SOS, and the APP0/APP14 flags
// that decide the colour space. Everything a file declares is validated here before anything is sized.

/// One colour component of the frame.
struct JPEGComponent {
    var id: UInt8
    /// Sampling factors (1...4).
    var h: Int
    var v: Int
    var quantSlot: Int
    /// Samples after downsampling, libjpeg's downsampled_width/height: ceil(width * h / maxH).
    var width = 0
    var height = 0
    /// Blocks that hold samples: ceil(width / 8) x ceil(height / 8) (the blocks of a one-component scan).
    var blocksWide = 0
    var blocksHigh = 0
    /// Blocks of the padded MCU grid (mcusWide * h x mcusHigh * v): the plane and coefficient layout.
    var paddedBlocksWide = 0
    var paddedBlocksHigh = 0
}

/// The frame (SOF): image size, coding process and components.
struct JPEGFrame {
    var width: Int
    var height: Int
    var progressive: Bool
    var components: [JPEGComponent]
    var maxH = 1
    var maxV = 1
    var mcusWide = 0
    var mcusHigh = 0

    /// Largest image accepted: 2^28 pixels (16384 x 16384), far beyond any KITTI-like input.
    static let maxPixels = 1 << 28

    /// Blocks holding real samples, summed over components (each needs at least one bit of coded data).
    var sampleBlocks: Int { components.reduce(0) { $0 + $1.blocksWide * $1.blocksHigh } }
}

/// One scan (SOS): the components it codes, their tables, and the progression parameters.
struct JPEGScan {
    /// Indices into the frame's components, in scan order.
    var components: [Int]
    var dcSlots: [Int]
    var acSlots: [Int]
    var ss: Int
    var se: Int
    var ah: Int
    var al: Int
}

/// Cursor over the file bytes for the marker structure (not the entropy-coded data).
struct JPEGMarkerCursor {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Skips to the next marker and returns its code (after any 0xFF fill bytes), or nil at the end of
    /// the file. Bytes that are not part of a marker are skipped, as libjpeg does (with a warning).
    mutating func nextMarker() -> UInt8? {
        let n = bytes.count
        while position < n {
            if bytes[position] != 0xFF { position += 1; continue }
            var q = position + 1
            while q < n && bytes[q] == 0xFF { q += 1 }
            if q >= n { position = n; return nil }
            let code = bytes[q]
            position = q + 1
            if code != 0 { return code }
        }
        return nil
    }

    /// Reads a segment's 2-byte length and returns its payload, advancing past it.
    mutating func segment(_ name: String) throws(JPEGProblem) -> ArraySlice<UInt8> {
        guard position + 2 <= bytes.count else { throw JPEGProblem("file ends inside the \(name) marker") }
        let length = Int(bytes[position]) << 8 | Int(bytes[position + 1])
        guard length >= 2 else { throw JPEGProblem("\(name) segment length \(length) is less than 2") }
        guard position + length <= bytes.count else {
            throw JPEGProblem("\(name) segment of \(length) bytes runs past the end of the file")
        }
        let payload = bytes[(position + 2)..<(position + length)]
        position += length
        return payload
    }
}

/// Reads big-endian fields out of a segment payload with bounds checks.
struct JPEGFieldReader {
    let payload: ArraySlice<UInt8>
    let name: String
    var index: Int

    init(_ payload: ArraySlice<UInt8>, _ name: String) {
        self.payload = payload
        self.name = name
        self.index = payload.startIndex
    }

    var remaining: Int { payload.endIndex - index }

    mutating func byte() throws(JPEGProblem) -> Int {
        guard index < payload.endIndex else { throw JPEGProblem("\(name) segment is too short") }
        defer { index += 1 }
        return Int(payload[index])
    }

    mutating func word() throws(JPEGProblem) -> Int {
        let high = try byte()
        return high << 8 | (try byte())
    }
}

enum JPEGHeader {
    /// Parses SOF0/1/2 and derives the component geometry; refuses sizes the file cannot hold.
    static func frame(_ payload: ArraySlice<UInt8>, progressive: Bool, fileSize: Int) throws(JPEGProblem) -> JPEGFrame {
        var r = JPEGFieldReader(payload, "SOF")
        let precision = try r.byte()
        let height = try r.word()
        let width = try r.word()
        let count = try r.byte()
        guard precision == 8 else {
            throw JPEGProblem("\(precision)-bit samples are not supported (only 8-bit JPEG)")
        }
        guard height > 0 else { throw JPEGProblem("height 0 (DNL-defined height) is not supported") }
        guard width > 0 else { throw JPEGProblem("width is 0") }
        guard width <= 65500, height <= 65500 else {
            throw JPEGProblem("size \(width)x\(height) exceeds libjpeg's maximum dimension of 65500")
        }
        switch count {
        case 1, 3: break
        case 4: throw JPEGProblem("4-component (CMYK/YCCK, Adobe) JPEG is not supported")
        default: throw JPEGProblem("\(count) colour components are not supported (only 1 or 3)")
        }
        guard r.remaining == 3 * count else {
            throw JPEGProblem("SOF segment has \(r.remaining) component bytes, expected \(3 * count)")
        }
        var components: [JPEGComponent] = []
        for _ in 0..<count {
            let id = UInt8(try r.byte())
            let sampling = try r.byte()
            let quant = try r.byte()
            let h = sampling >> 4, v = sampling & 15
            guard (1...4).contains(h), (1...4).contains(v) else {
                throw JPEGProblem("component \(id) has sampling factors \(h)x\(v) (1...4 allowed)")
            }
            guard quant < 4 else { throw JPEGProblem("component \(id) uses quantisation table \(quant) (0...3 allowed)") }
            if components.contains(where: { $0.id == id }) { throw JPEGProblem("component id \(id) appears twice") }
            components.append(JPEGComponent(id: id, h: h, v: v, quantSlot: quant))
        }
        guard width * height <= JPEGFrame.maxPixels else {
            throw JPEGProblem("image size \(width)x\(height) exceeds the limit of \(JPEGFrame.maxPixels) pixels")
        }
        var frame = JPEGFrame(width: width, height: height, progressive: progressive, components: components)
        frame.maxH = components.map(\.h).max() ?? 1
        frame.maxV = components.map(\.v).max() ?? 1
        for c in components where frame.maxH % c.h != 0 || frame.maxV % c.v != 0 {
            throw JPEGProblem("fractional sampling \(c.h)x\(c.v) within \(frame.maxH)x\(frame.maxV) is not supported")
        }
        frame.mcusWide = (width + 8 * frame.maxH - 1) / (8 * frame.maxH)
        frame.mcusHigh = (height + 8 * frame.maxV - 1) / (8 * frame.maxV)
        for i in frame.components.indices {
            var c = frame.components[i]
            c.width = (width * c.h + frame.maxH - 1) / frame.maxH
            c.height = (height * c.v + frame.maxV - 1) / frame.maxV
            c.blocksWide = (c.width + 7) / 8
            c.blocksHigh = (c.height + 7) / 8
            c.paddedBlocksWide = frame.mcusWide * c.h
            c.paddedBlocksHigh = frame.mcusHigh * c.v
            frame.components[i] = c
        }
        // Every block costs at least one bit of entropy-coded data (a Huffman code is >= 1 bit), so a
        // file can describe at most 8 blocks per byte; anything larger is a corrupt or hostile header.
        let blocks = frame.sampleBlocks
        guard blocks <= 8 * fileSize else {
            throw JPEGProblem("declared size \(width)x\(height) needs \(blocks) blocks of coded data, more than a \(fileSize)-byte file can hold")
        }
        return frame
    }

    /// Parses a DQT segment into `tables` (natural order, as Int32 for the IDCT).
    static func quantTables(_ payload: ArraySlice<UInt8>, into tables: inout [[Int32]?]) throws(JPEGProblem) {
        var r = JPEGFieldReader(payload, "DQT")
        while r.remaining > 0 {
            let pqtq = try r.byte()
            let precision = pqtq >> 4, slot = pqtq & 15
            guard slot < 4 else { throw JPEGProblem("DQT defines table \(slot) (0...3 allowed)") }
            guard precision <= 1 else { throw JPEGProblem("DQT table \(slot) has precision code \(precision)") }
            var table = [Int32](repeating: 0, count: 64)
            for k in 0..<64 {
                let value = precision == 0 ? try r.byte() : try r.word()
                table[JPEGTables.naturalOrder[k]] = Int32(value)
            }
            tables[slot] = table
        }
    }

    /// Parses a DHT segment into the DC and AC table specs.
    static func huffmanTables(_ payload: ArraySlice<UInt8>, dc: inout [JPEGTables.HuffmanSpec?],
                              ac: inout [JPEGTables.HuffmanSpec?]) throws(JPEGProblem) {
        var r = JPEGFieldReader(payload, "DHT")
        while r.remaining > 0 {
            let tcth = try r.byte()
            let tableClass = tcth >> 4, slot = tcth & 15
            guard tableClass <= 1, slot < 4 else {
                throw JPEGProblem("DHT defines class \(tableClass) table \(slot) (class 0/1, table 0...3 allowed)")
            }
            var counts: [UInt8] = []
            for _ in 0..<16 { counts.append(UInt8(try r.byte())) }
            let total = counts.reduce(0) { $0 + Int($1) }
            guard total <= 256 else { throw JPEGProblem("DHT table \(slot) declares \(total) codes (at most 256)") }
            var symbols: [UInt8] = []
            for _ in 0..<total { symbols.append(UInt8(try r.byte())) }
            let spec = JPEGTables.HuffmanSpec(counts: counts, symbols: symbols)
            if tableClass == 0 { dc[slot] = spec } else { ac[slot] = spec }
        }
    }

    /// Parses an SOS header against the frame.
    static func scan(_ payload: ArraySlice<UInt8>, frame: JPEGFrame) throws(JPEGProblem) -> JPEGScan {
        var r = JPEGFieldReader(payload, "SOS")
        let count = try r.byte()
        guard (1...4).contains(count) else { throw JPEGProblem("scan with \(count) components (1...4 allowed)") }
        guard r.remaining == 2 * count + 3 else {
            throw JPEGProblem("SOS segment length does not match its \(count) components")
        }
        var scan = JPEGScan(components: [], dcSlots: [], acSlots: [], ss: 0, se: 0, ah: 0, al: 0)
        for _ in 0..<count {
            let id = UInt8(try r.byte())
            let tables = try r.byte()
            guard let index = frame.components.firstIndex(where: { $0.id == id }) else {
                throw JPEGProblem("scan refers to component id \(id), which the frame does not have")
            }
            guard !scan.components.contains(index) else { throw JPEGProblem("scan lists component \(id) twice") }
            let dc = tables >> 4, ac = tables & 15
            guard dc < 4, ac < 4 else { throw JPEGProblem("scan uses Huffman tables \(dc)/\(ac) (0...3 allowed)") }
            scan.components.append(index)
            scan.dcSlots.append(dc)
            scan.acSlots.append(ac)
        }
        scan.ss = try r.byte()
        scan.se = try r.byte()
        let a = try r.byte()
        scan.ah = a >> 4
        scan.al = a & 15
        if count > 1 {
            let blocks = scan.components.reduce(0) { $0 + frame.components[$1].h * frame.components[$1].v }
            guard blocks <= 10 else { throw JPEGProblem("interleaved scan has \(blocks) blocks per MCU (at most 10)") }
        }
        if frame.progressive {
            // jdphuff.c start_pass_phuff_decoder's JERR_BAD_PROGRESSION checks.
            var bad = false
            if scan.ss == 0 {
                bad = scan.se != 0
            } else {
                bad = scan.ss > scan.se || scan.se > 63 || count != 1
            }
            if scan.ah != 0 && scan.al != scan.ah - 1 { bad = true }
            if scan.al > 13 { bad = true }
            if bad {
                throw JPEGProblem("invalid progressive scan Ss=\(scan.ss) Se=\(scan.se) Ah=\(scan.ah) Al=\(scan.al) over \(count) components")
            }
        }
        return scan
    }

    /// APP14 "Adobe": returns the transform flag (0 = RGB/CMYK, 1 = YCbCr, 2 = YCCK), or nil if not Adobe.
    static func adobeTransform(_ payload: ArraySlice<UInt8>) -> Int? {
        let b = Array(payload)
        guard b.count >= 12, b[0] == 0x41, b[1] == 0x64, b[2] == 0x6F, b[3] == 0x62, b[4] == 0x65 else { return nil }
        return Int(b[11])
    }

    /// APP0 "JFIF\0".
    static func isJFIF(_ payload: ArraySlice<UInt8>) -> Bool {
        let b = Array(payload.prefix(5))
        return b == [0x4A, 0x46, 0x49, 0x46, 0x00]
    }
}
