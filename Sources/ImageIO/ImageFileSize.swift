import Foundation

/// The pixel size of a JPEG or PNG file read from its header alone (the frame header of a JPEG,
/// IHDR of a PNG), for checking thousands of frames without decoding them.
public enum ImageFileSize {
    /// `(width, height)` of the JPEG or PNG at `url`, recognised by content.
    public static func read(_ url: URL) throws(ImageIOError) -> (width: Int, height: Int) {
        let head = try firstBytes(of: url, count: 24)
        if head.count >= 3, head[0] == 0xFF, head[1] == 0xD8, head[2] == 0xFF {
            let info = try JPEG.dimensions(contentsOf: url)
            return (info.width, info.height)
        }
        if head.count >= 8, head[0] == 0x89, head[1] == 0x50, head[2] == 0x4E, head[3] == 0x47 {
            // Signature (8 bytes), then the IHDR chunk: length (4), "IHDR", width (4), height (4).
            guard head.count >= 24, Array(head[12..<16]) == Array("IHDR".utf8) else {
                throw ImageIOError(file: url.path, "PNG file without an IHDR chunk at its start")
            }
            func word(_ at: Int) -> Int { head[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
            let width = word(16), height = word(20)
            guard width > 0, height > 0 else { throw ImageIOError(file: url.path, "PNG size \(width)x\(height) is empty") }
            return (width, height)
        }
        throw ImageIOError(file: url.path, "not a JPEG or PNG image")
    }

    private static func firstBytes(of url: URL, count: Int) throws(ImageIOError) -> [UInt8] {
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            return [UInt8](try handle.read(upToCount: count) ?? Data())
        } catch {
            throw ImageIOError(file: url.path, "cannot read file: \(error.localizedDescription)")
        }
    }
}
