import Foundation

/// JPEG decoding and encoding, matching libjpeg-turbo's default decode as Pillow uses it.
public enum JPEG {
    /// Decodes a baseline or progressive 8-bit JPEG (grey or YCbCr, any integral sampling, restart
    /// markers) to an `Image` of 1 (grey) or 3 (RGB) channels, HWC, sample for sample what
    /// `np.asarray(PIL.Image.open(file))` gives with Pillow's libjpeg-turbo: ISLOW integer IDCT, fancy
    /// upsampling (h2v1, h2v2, h1v2 triangle filters; replication for other factors), libjpeg's
    /// fixed-point YCbCr->RGB. Corrupt entropy data is handled like libjpeg (zeros past a marker).
    /// Throws for 12-bit, arithmetic-coded, lossless, hierarchical and 4-component (CMYK) files, for
    /// truncated files, for invalid headers, and before allocating anything for frames over 2^28
    /// pixels or with more blocks than 8 per byte of the file (each block costs at least one bit).
    /// Not implemented: libjpeg's block smoothing, which only applies to progressive files whose
    /// scans leave low AC coefficients unrefined (no standard encoder's script does).
    public static func decode(_ bytes: [UInt8], file: String = "<memory>") throws(ImageIOError) -> Image {
        do {
            return try bytes.withUnsafeBufferPointer { (buffer) throws(JPEGProblem) -> Image in
                var decoder = JPEGDecoder(bytes, base: buffer.baseAddress)
                return try decoder.decode()
            }
        } catch {
            throw ImageIOError(file: file, error.message)
        }
    }

    /// Reads and decodes the JPEG file at `url`.
    public static func read(contentsOf url: URL) throws(ImageIOError) -> Image {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ImageIOError(file: url.path, "cannot read file: \(error.localizedDescription)")
        }
        return try decode([UInt8](data), file: url.path)
    }
}

/// One decode: walks the markers, decodes scans into `JPEGBuffers`, then renders pixels.
struct JPEGDecoder {
    var cursor: JPEGMarkerCursor
    var quantTables: [[Int32]?] = Array(repeating: nil, count: 4)
    var dcTables: [JPEGTables.HuffmanSpec?] = Array(repeating: nil, count: 4)
    var acTables: [JPEGTables.HuffmanSpec?] = Array(repeating: nil, count: 4)
    var restartInterval = 0
    var frame: JPEGFrame?
    var buffers: JPEGBuffers?
    var sawJFIF = false
    var adobeTransform: Int?
    var scansDecoded = 0
    /// The file bytes for the entropy-coded data (valid during `decode`, inside `withUnsafeBufferPointer`).
    let base: UnsafePointer<UInt8>?

    init(_ bytes: [UInt8], base: UnsafePointer<UInt8>?) {
        cursor = JPEGMarkerCursor(bytes)
        self.base = base
    }

    mutating func decode() throws(JPEGProblem) -> Image {
        let bytes = cursor.bytes
        guard let base, bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xD8 else {
            throw JPEGProblem("not a JPEG file (no SOI marker at the start)")
        }
        cursor.position = 2
        markers: while let marker = cursor.nextMarker() {
            switch marker {
            case 0xC0, 0xC1, 0xC2:
                guard frame == nil else { throw JPEGProblem("more than one SOF marker") }
                let payload = try cursor.segment("SOF")
                let parsed = try JPEGHeader.frame(payload, progressive: marker == 0xC2, fileSize: bytes.count)
                frame = parsed
                buffers = JPEGBuffers(frame: parsed, fileSize: bytes.count)
            case 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF:
                throw JPEGProblem(JPEGDecoder.unsupportedProcess(marker))
            case 0xC4:
                try JPEGHeader.huffmanTables(try cursor.segment("DHT"), dc: &dcTables, ac: &acTables)
            case 0xDB:
                try JPEGHeader.quantTables(try cursor.segment("DQT"), into: &quantTables)
            case 0xDD:
                var r = JPEGFieldReader(try cursor.segment("DRI"), "DRI")
                restartInterval = try r.word()
            case 0xDA:
                let payload = try cursor.segment("SOS")
                guard let frame, let buffers else { throw JPEGProblem("SOS marker before any SOF marker") }
                let scan = try JPEGHeader.scan(payload, frame: frame)
                let complete = try decodeScan(scan, frame: frame, buffers: buffers, base: base)
                scansDecoded += 1
                if complete { break markers }
            case 0xD9:
                break markers
            case 0xD8:
                throw JPEGProblem("second SOI marker")
            case 0xD0...0xD7, 0x01:
                continue  // stray RSTn / TEM: no payload
            case 0xE0:
                if JPEGHeader.isJFIF(try cursor.segment("APP0")) { sawJFIF = true }
            case 0xEE:
                if let transform = JPEGHeader.adobeTransform(try cursor.segment("APP14")) { adobeTransform = transform }
            default:
                _ = try cursor.segment(String(format: "0xFF%02X", marker))  // APPn, COM, DNL, ...: skipped
            }
        }
        guard let frame, let buffers else { throw JPEGProblem("no SOF marker: the file holds no image") }
        guard scansDecoded > 0 else { throw JPEGProblem("no SOS marker: the file holds no image data") }
        if buffers.hasCoefficients { buffers.transformCoefficients(frame: frame) }
        let channels = frame.components.count == 1 ? 1 : 3
        let transform = colorTransform(frame)
        let count = frame.width * frame.height * channels
        // `render` writes every output sample, so the array need not be zeroed first.
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
            if let start = out.baseAddress {
                JPEGColor.render(frame: frame, buffers: buffers, colorTransform: transform, into: start)
            }
            initialized = count
        }
        return Image(width: frame.width, height: frame.height, channels: channels, pixels: pixels)
    }

    /// Decodes one scan; returns true when the image is complete (a single-scan sequential file).
    mutating func decodeScan(_ scan: JPEGScan, frame: JPEGFrame, buffers: JPEGBuffers,
                             base: UnsafePointer<UInt8>) throws(JPEGProblem) -> Bool {
        for index in scan.components where !buffers.isQuantLatched(index) {
            let slot = frame.components[index].quantSlot
            guard let table = quantTables[slot] else {
                throw JPEGProblem("component \(frame.components[index].id) uses quantisation table \(slot), which is not defined")
            }
            buffers.latchQuant(index, table)
        }
        // A sequential scan holding every component is the whole image: decode straight to samples.
        let direct = !frame.progressive && scansDecoded == 0 && scan.components.count == frame.components.count
        if !direct { buffers.allocateCoefficients(frame: frame) }
        let sink = JPEGBlockSink(direct: direct, buffers: buffers, scratch: buffers.scratch)
        var source = JPEGEntropySource(source: base, sourceCount: cursor.bytes.count, scratch: buffers.entropy,
                                       position: cursor.position)
        let ri = restartInterval
        if !frame.progressive {
            let dc = try scan.dcSlots.map { s throws(JPEGProblem) in try table(s, dc: true) }
            let ac = try scan.acSlots.map { s throws(JPEGProblem) in try table(s, dc: false) }
            var coder = JPEGSequentialCoder(dc: dc.map(\.lut), ac: ac.map(\.lut), zigzag: buffers.zigzag,
                                            predictors: buffers.predictors)
            try JPEGScanDecoder.run(&coder, scan: scan, frame: frame, restartInterval: ri, source: &source, sink: sink)
            withExtendedLifetime((dc, ac)) {}
        } else if scan.ss == 0 {
            if scan.ah == 0 {
                let dc = try scan.dcSlots.map { s throws(JPEGProblem) in try table(s, dc: true) }
                var coder = JPEGDCFirstCoder(dc: dc.map(\.lut), al: scan.al, predictors: buffers.predictors)
                try JPEGScanDecoder.run(&coder, scan: scan, frame: frame, restartInterval: ri, source: &source, sink: sink)
                withExtendedLifetime(dc) {}
            } else {
                var coder = JPEGDCRefineCoder(al: scan.al)
                try JPEGScanDecoder.run(&coder, scan: scan, frame: frame, restartInterval: ri, source: &source, sink: sink)
            }
        } else {
            let ac = try table(scan.acSlots[0], dc: false)
            if scan.ah == 0 {
                var coder = JPEGACFirstCoder(ac: ac.lut, ss: scan.ss, se: scan.se, al: scan.al, zigzag: buffers.zigzag)
                try JPEGScanDecoder.run(&coder, scan: scan, frame: frame, restartInterval: ri, source: &source, sink: sink)
            } else {
                var coder = JPEGACRefineCoder(ac: ac.lut, ss: scan.ss, se: scan.se, al: scan.al, zigzag: buffers.zigzag)
                try JPEGScanDecoder.run(&coder, scan: scan, frame: frame, restartInterval: ri, source: &source, sink: sink)
            }
            withExtendedLifetime(ac) {}
        }
        cursor.position = source.position
        return direct
    }

    /// Builds the decoding table for a slot; like libjpeg, slots 0 and 1 fall back to the standard
    /// tables when the file defines none (Motion-JPEG style files).
    func table(_ slot: Int, dc: Bool) throws(JPEGProblem) -> JPEGHuffmanDecoder {
        var spec = dc ? dcTables[slot] : acTables[slot]
        if spec == nil && slot < 2 {
            spec = dc ? (slot == 0 ? JPEGTables.dcLuminance : JPEGTables.dcChrominance)
                      : (slot == 0 ? JPEGTables.acLuminance : JPEGTables.acChrominance)
        }
        guard let spec else { throw JPEGProblem("scan uses \(dc ? "DC" : "AC") Huffman table \(slot), which is not defined") }
        do {
            return try JPEGHuffmanDecoder(spec, isDC: dc)
        } catch {
            throw JPEGProblem("\(dc ? "DC" : "AC") Huffman table \(slot): \(error.message)")
        }
    }

    /// libjpeg's default_decompress_parms for 3 components: YCbCr unless an Adobe marker says
    /// transform 0, or there is neither JFIF nor Adobe marker and the component ids are 'R','G','B'.
    func colorTransform(_ frame: JPEGFrame) -> Bool {
        guard frame.components.count == 3 else { return false }
        if sawJFIF { return true }
        if let adobeTransform { return adobeTransform != 0 }
        return frame.components.map(\.id) != [0x52, 0x47, 0x42]
    }

    static func unsupportedProcess(_ marker: UInt8) -> String {
        let name = String(format: "SOF%d", Int(marker) - 0xC0)
        switch marker {
        case 0xC3, 0xC7, 0xCB, 0xCF: return "lossless JPEG (\(name)) is not supported"
        case 0xC9, 0xCA, 0xCD, 0xCE: return "arithmetic-coded JPEG (\(name)) is not supported"
        default: return "hierarchical JPEG (\(name)) is not supported"
        }
    }
}
