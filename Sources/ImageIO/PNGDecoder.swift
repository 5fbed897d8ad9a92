import Codecs

/// Reads the chunk stream, inflates the image data in one buffer, reverses the filters in place,
/// and scatters each pass's samples into the output image.
enum PNGDecoder {
    /// The largest expansion DEFLATE allows: a 258-byte match costs at least 2 bits.
    private static let maximumInflateRatio = 1032

    static func decode(_ bytes: [UInt8], file: String, maximumPixels: Int) throws(ImageIOError) -> PNGImage {
        let chunks = try readChunks(bytes, file: file)
        let header = chunks.header
        guard header.width <= maximumPixels / header.height else {
            throw ImageIOError(file: file, "PNG size \(header.width)x\(header.height) exceeds the limit of \(maximumPixels) pixels")
        }
        if header.colorType == 3 && chunks.palette == nil { throw ImageIOError(file: file, "palette image without a PLTE chunk") }
        guard let (passes, totalBytes) = header.passes() else {
            throw ImageIOError(file: file, "PNG size \(header.width)x\(header.height) is too large")
        }
        guard totalBytes / maximumInflateRatio <= chunks.imageData.count else {
            throw ImageIOError(file: file, "image data too short for \(header.width)x\(header.height) (\(chunks.imageData.count) compressed bytes)")
        }

        let result: Result<PNGImage, ImageIOError> = chunks.imageData.withUnsafeBytes { compressed in
            do throws(CodecError) {
                return try Inflate.withDecompressedZlib(compressed, expectedSize: totalBytes, limit: totalBytes, stopAtLimit: true) { data, _ in
                    guard data.count == totalBytes else {
                        return .failure(ImageIOError(file: file, "image data truncated (\(data.count) of \(totalBytes) bytes)"))
                    }
                    let base = data.baseAddress!
                    for pass in passes {
                        if let row = PNGFilters.unfilter(base + pass.offset, rowCount: pass.height, rowBytes: pass.rowBytes,
                                                         stride: header.filterStride) {
                            let filter = base[pass.offset + row * (pass.rowBytes + 1)]
                            return .failure(ImageIOError(file: file, "invalid PNG filter type \(filter) in row \(row)"))
                        }
                    }
                    return .success(PNGPixels.assemble(UnsafePointer(base), header: header, passes: passes, palette: chunks.palette))
                }
            } catch {
                return .failure(ImageIOError(file: file, "corrupt PNG image data: \(error.problem)"))
            }
        }
        return try result.get()
    }

    struct Chunks {
        var header: PNGHeader
        var palette: PNGPalette?
        var imageData: [UInt8]
    }

    /// Walks the chunks from the signature to IEND, checking every CRC. A file that ends cleanly
    /// after its image data without IEND is accepted (Pillow accepts it too).
    static func readChunks(_ bytes: [UInt8], file: String) throws(ImageIOError) -> Chunks {
        guard bytes.count >= 8, Array(bytes[0..<8]) == PNGHeader.signature else {
            throw ImageIOError(file: file, "not a PNG file (bad signature)")
        }
        var header: PNGHeader?
        var colors: [UInt8]?
        var alphas: [UInt8] = []
        var imageData: [UInt8] = []
        var offset = 8
        chunkLoop: while offset < bytes.count || imageData.isEmpty {
            guard bytes.count - offset >= 12 else {
                throw ImageIOError(file: file, "truncated PNG chunk at byte \(offset)")
            }
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length <= 0x7FFF_FFFF, bytes.count - offset - 12 >= length else {
                throw ImageIOError(file: file, "truncated PNG chunk at byte \(offset) (length \(length))")
            }
            let typeBytes = Array(bytes[(offset + 4)..<(offset + 8)])
            guard typeBytes.allSatisfy({ (65...90).contains($0) || (97...122).contains($0) }) else {
                throw ImageIOError(file: file, "invalid PNG chunk type at byte \(offset)")
            }
            let type = String(decoding: typeBytes, as: UTF8.self)
            let dataStart = offset + 8
            let dataEnd = dataStart + length
            let stored = UInt32(bytes[dataEnd]) << 24 | UInt32(bytes[dataEnd + 1]) << 16 | UInt32(bytes[dataEnd + 2]) << 8 | UInt32(bytes[dataEnd + 3])
            let computed = bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[(offset + 4)..<dataEnd])) }
            guard stored == computed else { throw ImageIOError(file: file, "bad CRC in PNG chunk \(type)") }
            let data = bytes[dataStart..<dataEnd]
            guard header != nil || type == "IHDR" else { throw ImageIOError(file: file, "first PNG chunk is \(type), not IHDR") }

            switch type {
            case "IHDR":
                guard header == nil else { throw ImageIOError(file: file, "duplicate IHDR chunk") }
                header = try PNGHeader(data, file: file)
            case "PLTE":
                guard colors == nil, imageData.isEmpty else { throw ImageIOError(file: file, "misplaced or duplicate PLTE chunk") }
                guard length % 3 == 0, (3...768).contains(length) else {
                    throw ImageIOError(file: file, "invalid PLTE chunk length \(length)")
                }
                colors = Array(data)
            case "tRNS":
                if header?.colorType == 3 { alphas = Array(data.prefix(256)) }
            case "IDAT":
                imageData.append(contentsOf: data)
            case "IEND":
                break chunkLoop
            default:
                break  // ancillary (iCCP, gAMA, tEXt, ...) and unknown chunks are skipped, as Pillow does
            }
            offset = dataEnd + 4
        }
        guard let header else { throw ImageIOError(file: file, "no IHDR chunk") }
        guard !imageData.isEmpty else { throw ImageIOError(file: file, "no IDAT chunk") }
        let palette = colors.map { PNGPalette(colors: $0, alphas: alphas) }
        return Chunks(header: header, palette: header.colorType == 3 ? palette : nil, imageData: imageData)
    }
}
