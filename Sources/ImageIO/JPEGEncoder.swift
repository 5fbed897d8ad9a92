import Foundation

/// Chroma subsampling of the encoder, named like Pillow's `subsampling=` values 0, 1, 2.
public enum JPEGSubsampling: Sendable, Equatable {
    /// 4:4:4, Pillow `subsampling=0`: chroma at full resolution.
    case s444
    /// 4:2:2, Pillow `subsampling=1`: chroma halved horizontally.
    case s422
    /// 4:2:0, Pillow `subsampling=2` (Pillow's default): chroma halved both ways.
    case s420
}

extension JPEG {
    /// Encodes a grey (1 channel) or RGB (3 channels) image as a baseline JFIF JPEG the way
    /// libjpeg-turbo does for Pillow's `save(quality:, subsampling:)`: IJG quality scaling of the
    /// Annex K tables (baseline-limited), standard Huffman tables, libjpeg's fixed-point RGB->YCbCr,
    /// downsampling with its alternating rounding bias, ISLOW FDCT and reciprocal quantisation.
    /// `quality` is clamped to 1...100. Precondition: 1 or 3 channels, sizes 1...65500.
    public static func encode(_ image: Image, quality: Int = 95, subsampling: JPEGSubsampling = .s420) -> [UInt8] {
        precondition(image.channels == 1 || image.channels == 3,
                     "JPEG.encode: \(image.channels) channels (only 1 or 3)")
        precondition((1...65500).contains(image.width) && (1...65500).contains(image.height),
                     "JPEG.encode: size \(image.width)x\(image.height) outside 1...65500")
        return JPEGEncoder(image: image, quality: quality, subsampling: subsampling).encode()
    }

    /// Encodes `image` and writes it to `url` atomically (a temporary file in the same folder, then rename).
    public static func write(_ image: Image, to url: URL, quality: Int = 95,
                             subsampling: JPEGSubsampling = .s420) throws(ImageIOError) {
        let bytes = encode(image, quality: quality, subsampling: subsampling)
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try Data(bytes).write(to: temporary)
        } catch {
            throw ImageIOError(file: url.path, "cannot write JPEG: \(error.localizedDescription)")
        }
        // POSIX rename replaces an existing file atomically.
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw ImageIOError(file: url.path, "cannot write JPEG: rename failed: \(reason)")
        }
    }

    /// libjpeg's jpeg_quality_scaling + jpeg_add_quant_table(force_baseline: true).
    static func scaledQuantTable(_ base: [Int], quality: Int) -> [Int] {
        let q = min(max(quality, 1), 100)
        let scale = q < 50 ? 5000 / q : 200 - 2 * q
        return base.map { min(max(($0 * scale + 50) / 100, 1), 255) }
    }
}

/// One encode: colour conversion, downsampling, blocks, entropy coding, markers.
struct JPEGEncoder {
    let image: Image
    let quality: Int
    let h: Int, v: Int  // luma sampling factors
    /// false: one scan per component instead of one interleaved scan (only tests use this).
    let interleaved: Bool

    init(image: Image, quality: Int, subsampling: JPEGSubsampling, interleaved: Bool = true) {
        self.image = image
        self.quality = quality
        self.interleaved = interleaved
        switch (image.channels, subsampling) {
        case (1, _), (_, .s444): (h, v) = (1, 1)
        case (_, .s422): (h, v) = (2, 1)
        case (_, .s420): (h, v) = (2, 2)
        }
    }

    /// A component's samples padded to whole blocks (edges replicated), as libjpeg prepares them.
    struct Plane {
        var samples: [UInt8]
        var width: Int  // 8 * blocksWide
        var blocksWide: Int
        var blocksHigh: Int
    }

    func encode() -> [UInt8] {
        let luma = JPEG.scaledQuantTable(JPEGTables.luminanceQuant, quality: quality)
        let chroma = JPEG.scaledQuantTable(JPEGTables.chrominanceQuant, quality: quality)
        let grey = image.channels == 1
        var out: [UInt8] = [0xFF, 0xD8]
        // JFIF 1.01, no units, 1:1 density (what libjpeg writes for Pillow without dpi).
        out += [0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]
        appendQuantTable(&out, slot: 0, luma)
        if !grey { appendQuantTable(&out, slot: 1, chroma) }
        // SOF0.
        let count = grey ? 1 : 3
        out += [0xFF, 0xC0] + be16(8 + 3 * count) + [8] + be16(image.height) + be16(image.width) + [UInt8(count)]
        out += [1, UInt8(h << 4 | v), 0]
        if !grey { out += [2, 0x11, 1, 3, 0x11, 1] }
        appendHuffmanTable(&out, tableClass: 0, slot: 0, JPEGTables.dcLuminance)
        appendHuffmanTable(&out, tableClass: 1, slot: 0, JPEGTables.acLuminance)
        if !grey {
            appendHuffmanTable(&out, tableClass: 0, slot: 1, JPEGTables.dcChrominance)
            appendHuffmanTable(&out, tableClass: 1, slot: 1, JPEGTables.acChrominance)
        }
        let planes = makePlanes()
        let quantizers = grey ? [JPEGQuantizer(luma)] : [JPEGQuantizer(luma), JPEGQuantizer(chroma), JPEGQuantizer(chroma)]
        let dcCodes = [JPEGHuffmanCodes(JPEGTables.dcLuminance), JPEGHuffmanCodes(JPEGTables.dcChrominance)]
        let acCodes = [JPEGHuffmanCodes(JPEGTables.acLuminance), JPEGHuffmanCodes(JPEGTables.acChrominance)]
        let dc = grey ? [dcCodes[0]] : [dcCodes[0], dcCodes[1], dcCodes[1]]
        let ac = grey ? [acCodes[0]] : [acCodes[0], acCodes[1], acCodes[1]]
        var writer = JPEGBitWriter(capacity: out.count + image.width * image.height * image.channels / 3)
        writer.append(out)
        let block = UnsafeMutablePointer<Int32>.allocate(capacity: 128)
        defer { block.deallocate() }
        let zigzag = block + 64  // quantised coefficients in zig-zag order
        @inline(__always) func transform(_ c: Int, _ bx: Int, _ by: Int) {
            load(planes[c], bx, by, into: block)
            JPEGForwardDCT.transform(block)
            quantizers[c].quantize(block, into: zigzag)
        }
        guard interleaved || grey else {
            // One scan per component (a multi-scan sequential file, for decoder tests): MCU = 1 block
            // over the component's own blocks, no dummy blocks.
            for c in 0..<count {
                writer.append([0xFF, 0xDA, 0, 8, 1, UInt8(c + 1), c == 0 ? 0x00 : 0x11, 0, 63, 0])
                var encoder = JPEGBlockEncoder(dc: dc, ac: ac)
                for by in 0..<planes[c].blocksHigh {
                    for bx in 0..<planes[c].blocksWide {
                        transform(c, bx, by)
                        encoder.encode(zigzag, component: c, into: &writer)
                    }
                }
                writer.flush()
            }
            writer.append([0xFF, 0xD9])
            return writer.finish()
        }
        // SOS: all components, Ss 0, Se 63, Ah/Al 0.
        writer.append([0xFF, 0xDA] + be16(6 + 2 * count) + [UInt8(count), 1, 0x00]
                      + (grey ? [] : [2, 0x11, 3, 0x11]) + [0, 63, 0])
        var encoder = JPEGBlockEncoder(dc: dc, ac: ac)
        let factors = grey ? [(1, 1)] : [(h, v), (1, 1), (1, 1)]
        let mcusWide = grey ? planes[0].blocksWide : (image.width + 8 * h - 1) / (8 * h)
        let mcusHigh = grey ? planes[0].blocksHigh : (image.height + 8 * v - 1) / (8 * v)
        for my in 0..<mcusHigh {
            for mx in 0..<mcusWide {
                for c in 0..<count {
                    let (ch, cv) = factors[c]
                    var previousDC: Int32 = 0
                    for yi in 0..<cv {
                        for xi in 0..<ch {
                            let bx = mx * ch + xi, by = my * cv + yi
                            if bx < planes[c].blocksWide && by < planes[c].blocksHigh {
                                transform(c, bx, by)
                            } else {
                                // libjpeg's dummy blocks beyond the component's blocks (jccoefct.c):
                                // AC zero, DC repeated from the previous block of the MCU.
                                zigzag.initialize(repeating: 0, count: 64)
                                zigzag[0] = previousDC
                            }
                            previousDC = zigzag[0]
                            encoder.encode(zigzag, component: c, into: &writer)
                        }
                    }
                }
            }
        }
        writer.flush()
        writer.append([0xFF, 0xD9])
        return writer.finish()
    }

    /// Level-shifted samples of block (bx, by).
    func load(_ plane: Plane, _ bx: Int, _ by: Int, into block: UnsafeMutablePointer<Int32>) {
        plane.samples.withUnsafeBufferPointer { s in
            for r in 0..<8 {
                let row = (by * 8 + r) * plane.width + bx * 8
                for c in 0..<8 { block[r * 8 + c] = Int32(s[row + c]) - 128 }
            }
        }
    }

    /// Y (or grey), Cb, Cr planes: jccolor.c's fixed-point conversion, edges replicated to whole
    /// blocks, chroma downsampled like jcsample.c (bias 1,2,1,2... for 2x2, 0,1,0,1... for 2x1).
    func makePlanes() -> [Plane] {
        let width = image.width, height = image.height
        if image.channels == 1 {
            return [pad(image.pixels, width, height, blocksWide: (width + 7) / 8, blocksHigh: (height + 7) / 8)]
        }
        var y = [UInt8](repeating: 0, count: width * height)
        var cb = y, cr = y
        image.pixels.withUnsafeBufferPointer { p in
            for i in 0..<(width * height) {
                let r = Int32(p[3 * i]), g = Int32(p[3 * i + 1]), b = Int32(p[3 * i + 2])
                y[i] = UInt8(truncatingIfNeeded: (19595 * r + 38470 * g + 7471 * b + 32768) >> 16)
                cb[i] = UInt8(truncatingIfNeeded: (-11059 * r - 21709 * g + 32768 * b + (128 << 16) + 32767) >> 16)
                cr[i] = UInt8(truncatingIfNeeded: (32768 * r - 27439 * g - 5329 * b + (128 << 16) + 32767) >> 16)
            }
        }
        let luma = pad(y, width, height, blocksWide: (width + 7) / 8, blocksHigh: (height + 7) / 8)
        if h == 1 && v == 1 {
            return [luma, pad(cb, width, height, blocksWide: luma.blocksWide, blocksHigh: luma.blocksHigh),
                    pad(cr, width, height, blocksWide: luma.blocksWide, blocksHigh: luma.blocksHigh)]
        }
        return [luma, downsample(cb, width, height), downsample(cr, width, height)]
    }

    func pad(_ samples: [UInt8], _ width: Int, _ height: Int, blocksWide: Int, blocksHigh: Int) -> Plane {
        let paddedWidth = blocksWide * 8, paddedHeight = blocksHigh * 8
        var out = [UInt8](repeating: 0, count: paddedWidth * paddedHeight)
        for r in 0..<paddedHeight {
            let source = min(r, height - 1) * width
            for c in 0..<paddedWidth { out[r * paddedWidth + c] = samples[source + min(c, width - 1)] }
        }
        return Plane(samples: out, width: paddedWidth, blocksWide: blocksWide, blocksHigh: blocksHigh)
    }

    func downsample(_ samples: [UInt8], _ width: Int, _ height: Int) -> Plane {
        let outWidth = (width + h - 1) / h, outHeight = (height + v - 1) / v
        let blocksWide = (outWidth + 7) / 8, blocksHigh = (outHeight + 7) / 8
        let paddedWidth = blocksWide * 8
        var out = [UInt8](repeating: 0, count: paddedWidth * blocksHigh * 8)
        for r in 0..<(blocksHigh * 8) {
            // Rows past the component's last row repeat that row (expand_bottom_edge after downsampling).
            let j = min(r, outHeight - 1)
            let r0 = min(j * v, height - 1) * width, r1 = min(j * v + v - 1, height - 1) * width
            for x in 0..<paddedWidth {
                let c0 = min(x * h, width - 1), c1 = min(x * h + h - 1, width - 1)
                let value: Int
                if v == 2 {
                    let sum = Int(samples[r0 + c0]) + Int(samples[r0 + c1]) + Int(samples[r1 + c0]) + Int(samples[r1 + c1])
                    value = (sum + 1 + (x & 1)) >> 2
                } else {
                    value = (Int(samples[r0 + c0]) + Int(samples[r0 + c1]) + (x & 1)) >> 1
                }
                out[r * paddedWidth + x] = UInt8(value)
            }
        }
        return Plane(samples: out, width: paddedWidth, blocksWide: blocksWide, blocksHigh: blocksHigh)
    }

    func appendQuantTable(_ out: inout [UInt8], slot: Int, _ table: [Int]) {
        out += [0xFF, 0xDB, 0x00, 0x43, UInt8(slot)]
        for k in 0..<64 { out.append(UInt8(table[JPEGTables.naturalOrder[k]])) }
    }

    func appendHuffmanTable(_ out: inout [UInt8], tableClass: Int, slot: Int, _ spec: JPEGTables.HuffmanSpec) {
        out += [0xFF, 0xC4] + be16(3 + 16 + spec.symbols.count) + [UInt8(tableClass << 4 | slot)]
        out += spec.counts + spec.symbols
    }

    func be16(_ value: Int) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
}
