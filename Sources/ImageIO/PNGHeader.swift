/// IHDR fields and the byte layout they imply (rows per Adam7 pass, bytes per row).
struct PNGHeader {
    let width: Int
    let height: Int
    let bitDepth: Int
    /// 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA.
    let colorType: Int
    let interlaced: Bool

    /// One pass of the image data: a sub-image of every `stepX`-th pixel from `(x0, y0)`.
    /// Non-interlaced images have one pass covering everything.
    struct Pass {
        let x0: Int, y0: Int, stepX: Int, stepY: Int
        let width: Int, height: Int
        /// Offset of the pass's first filter byte in the inflated data.
        let offset: Int
        /// Bytes per row without the filter byte.
        let rowBytes: Int
    }

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Parses and validates the 13 IHDR bytes.
    init(_ data: ArraySlice<UInt8>, file: String) throws(ImageIOError) {
        let b = Array(data)
        guard b.count == 13 else { throw ImageIOError(file: file, "IHDR chunk has \(b.count) bytes, expected 13") }
        func be32(_ at: Int) -> Int { Int(b[at]) << 24 | Int(b[at + 1]) << 16 | Int(b[at + 2]) << 8 | Int(b[at + 3]) }
        width = be32(0)
        height = be32(4)
        bitDepth = Int(b[8])
        colorType = Int(b[9])
        guard width > 0, height > 0, width <= 0x7FFF_FFFF, height <= 0x7FFF_FFFF else {
            throw ImageIOError(file: file, "invalid PNG size \(width)x\(height)")
        }
        let allowedDepths: [Int]
        switch colorType {
        case 0: allowedDepths = [1, 2, 4, 8, 16]
        case 3: allowedDepths = [1, 2, 4, 8]
        case 2, 4, 6: allowedDepths = [8, 16]
        default: throw ImageIOError(file: file, "invalid PNG colour type \(colorType)")
        }
        guard allowedDepths.contains(bitDepth) else {
            throw ImageIOError(file: file, "invalid bit depth \(bitDepth) for PNG colour type \(colorType)")
        }
        guard b[10] == 0 else { throw ImageIOError(file: file, "unknown PNG compression method \(b[10])") }
        guard b[11] == 0 else { throw ImageIOError(file: file, "unknown PNG filter method \(b[11])") }
        guard b[12] <= 1 else { throw ImageIOError(file: file, "unknown PNG interlace method \(b[12])") }
        interlaced = b[12] == 1
    }

    /// Samples per pixel.
    var channels: Int { [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colorType] ?? 1 }

    /// Bytes per complete pixel for filtering (at least 1).
    var filterStride: Int { max(1, channels * bitDepth / 8) }

    private static let adam7: [(x0: Int, y0: Int, stepX: Int, stepY: Int)] = [
        (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2),
    ]

    /// The passes with their place in the inflated data, and the data's total size; nil if that
    /// size does not fit in an Int. Empty passes (no columns or no rows) take no bytes, not even
    /// filter bytes.
    func passes() -> (passes: [Pass], totalBytes: Int)? {
        let geometry = interlaced ? Self.adam7 : [(0, 0, 1, 1)]
        var passes: [Pass] = []
        var offset = 0
        for (x0, y0, stepX, stepY) in geometry {
            let passWidth = width > x0 ? (width - x0 + stepX - 1) / stepX : 0
            let passHeight = height > y0 ? (height - y0 + stepY - 1) / stepY : 0
            guard passWidth > 0, passHeight > 0 else { continue }
            // width < 2^31 and at most 64 bits per pixel: the row size cannot overflow.
            let rowBytes = (passWidth * channels * bitDepth + 7) / 8
            let (passBytes, overflow) = passHeight.multipliedReportingOverflow(by: rowBytes + 1)
            guard !overflow, passBytes <= Int.max - offset else { return nil }
            passes.append(Pass(x0: x0, y0: y0, stepX: stepX, stepY: stepY, width: passWidth, height: passHeight,
                               offset: offset, rowBytes: rowBytes))
            offset += passBytes
        }
        return (passes, offset)
    }
}
