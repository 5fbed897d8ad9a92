import Foundation

/// What the frame header of a JPEG declares.
public struct JPEGInfo: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// Channels of the decoded `Image`: 1 (grey) or 3 (RGB).
    public var channels: Int
    public var progressive: Bool
}

extension JPEG {
    /// Reads only the markers up to the frame header (SOF): size, channels, progressive or not.
    /// Throws for files that `decode` refuses by their header (12-bit, arithmetic, lossless, CMYK).
    public static func dimensions(_ bytes: [UInt8], file: String = "<memory>") throws(ImageIOError) -> JPEGInfo {
        do throws(JPEGProblem) {
            guard let info = try headerInfo(bytes) else {
                throw JPEGProblem("no SOF marker before the end of the file")
            }
            return info
        } catch {
            throw ImageIOError(file: file, error.message)
        }
    }

    /// Reads the file at `url` in growing chunks until the frame header is found.
    public static func dimensions(contentsOf url: URL) throws(ImageIOError) -> JPEGInfo {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw ImageIOError(file: url.path, "cannot open file: \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        var bytes: [UInt8] = []
        var chunk = 1 << 16
        while true {
            let data: Data?
            do {
                data = try handle.read(upToCount: chunk)
            } catch {
                throw ImageIOError(file: url.path, "cannot read file: \(error.localizedDescription)")
            }
            let atEnd = (data?.count ?? 0) < chunk
            if let data { bytes.append(contentsOf: data) }
            do {
                if let info = try headerInfo(bytes) { return info }
            } catch {
                throw ImageIOError(file: url.path, error.message)
            }
            if atEnd { throw ImageIOError(file: url.path, "no SOF marker before the end of the file") }
            chunk *= 2
        }
    }

    /// The frame info, or nil when `bytes` ends before the SOF segment.
    static func headerInfo(_ bytes: [UInt8]) throws(JPEGProblem) -> JPEGInfo? {
        guard bytes.count >= 2 else { return nil }
        guard bytes[0] == 0xFF, bytes[1] == 0xD8 else { throw JPEGProblem("not a JPEG file (no SOI marker at the start)") }
        var cursor = JPEGMarkerCursor(bytes)
        cursor.position = 2
        while let marker = cursor.nextMarker() {
            switch marker {
            case 0xC0, 0xC1, 0xC2:
                guard cursor.position + 8 <= bytes.count else { return nil }
                var r = JPEGFieldReader(bytes[cursor.position..<(cursor.position + 8)], "SOF")
                _ = try r.word()
                let precision = try r.byte(), height = try r.word(), width = try r.word(), count = try r.byte()
                guard precision == 8 else { throw JPEGProblem("\(precision)-bit samples are not supported (only 8-bit JPEG)") }
                guard width > 0, height > 0 else { throw JPEGProblem("frame size \(width)x\(height) is empty") }
                switch count {
                case 1, 3: break
                case 4: throw JPEGProblem("4-component (CMYK/YCCK, Adobe) JPEG is not supported")
                default: throw JPEGProblem("\(count) colour components are not supported (only 1 or 3)")
                }
                return JPEGInfo(width: width, height: height, channels: count == 1 ? 1 : 3, progressive: marker == 0xC2)
            case 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF:
                throw JPEGProblem(JPEGDecoder.unsupportedProcess(marker))
            case 0xD9, 0xDA:
                throw JPEGProblem("no SOF marker before the image data")
            case 0xD0...0xD8, 0x01:
                continue
            default:
                guard cursor.position + 2 <= bytes.count else { return nil }
                let length = Int(bytes[cursor.position]) << 8 | Int(bytes[cursor.position + 1])
                guard length >= 2 else { throw JPEGProblem("segment length \(length) is less than 2") }
                guard cursor.position + length <= bytes.count else { return nil }
                cursor.position += length
            }
        }
        return nil
    }
}
