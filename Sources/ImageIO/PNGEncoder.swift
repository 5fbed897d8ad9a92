import Codecs
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds PNG files: IHDR, adaptively filtered rows compressed by `Deflate` in IDAT chunks, IEND.
enum PNGEncoder {
    /// IDAT chunks are split at this size (as Pillow and libpng split theirs).
    private static let idatChunkSize = 1 << 16

    /// `samples`: row-major interleaved samples, big-endian byte pairs when `bitDepth` is 16.
    static func encode(samples: [UInt8], width: Int, height: Int, channels: Int, bitDepth: Int,
                       level: Int) throws(ImageIOError) -> [UInt8] {
        guard let colorType = [1: 0, 2: 4, 3: 2, 4: 6][channels] else {
            throw ImageIOError(file: "<png encoder>", "cannot write \(channels) channels as PNG (1...4)")
        }
        guard width > 0, height > 0, width <= 0x7FFF_FFFF, height <= 0x7FFF_FFFF else {
            throw ImageIOError(file: "<png encoder>", "cannot write a \(width)x\(height) PNG")
        }
        let bytesPerPixel = channels * bitDepth / 8
        let rowBytes = width * bytesPerPixel
        var filtered = [UInt8](repeating: 0, count: height * (rowBytes + 1))
        samples.withUnsafeBufferPointer { source in
            filtered.withUnsafeMutableBufferPointer { destination in
                PNGFilters.filterAdaptively(source.baseAddress!, rowCount: height, rowBytes: rowBytes,
                                            stride: bytesPerPixel, into: destination.baseAddress!)
            }
        }
        let compressed = Deflate.compressZlib(filtered, level: min(max(level, 0), 9))

        var file = PNGHeader.signature
        var ihdr = [UInt8]()
        appendBigEndian(UInt32(width), to: &ihdr)
        appendBigEndian(UInt32(height), to: &ihdr)
        ihdr += [UInt8(bitDepth), UInt8(colorType), 0, 0, 0]
        appendChunk("IHDR", ihdr[...], to: &file)
        var start = 0
        repeat {
            let end = min(start + idatChunkSize, compressed.count)
            appendChunk("IDAT", compressed[start..<end], to: &file)
            start = end
        } while start < compressed.count
        appendChunk("IEND", [][...], to: &file)
        return file
    }

    private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    private static func appendChunk(_ type: String, _ data: ArraySlice<UInt8>, to file: inout [UInt8]) {
        appendBigEndian(UInt32(data.count), to: &file)
        let typeBytes = Array(type.utf8)
        file += typeBytes
        file += data
        appendBigEndian(CRC32.checksum(Array(data), continuing: CRC32.checksum(typeBytes)), to: &file)
    }

    /// Writes `bytes` to a temporary file beside `url`, then renames it over `url`, so readers
    /// never see a half-written file.
    static func writeAtomically(_ bytes: [UInt8], to url: URL) throws(ImageIOError) {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        do {
            try Data(bytes).write(to: temporary)
        } catch {
            throw ImageIOError(file: url.path, "cannot write file (\(error.localizedDescription))")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw ImageIOError(file: url.path, "cannot move the written file into place (\(reason))")
        }
    }
}
