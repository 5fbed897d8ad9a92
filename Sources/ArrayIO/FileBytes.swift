#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
private let systemWrite = Darwin.write
#endif
import Foundation

/// Whole-file reads and atomic whole-file writes (temporary file in the same folder, then rename),
/// so a crash or a full disk never leaves a torn array or checkpoint at the destination path.
public enum FileBytes {
    /// Files larger than this are refused before allocating (64 GiB: far beyond any checkpoint).
    static let maximumSize = 1 << 36

    /// Reads the whole file at `url` into memory.
    public static func read(contentsOf url: URL) throws(ArrayIOError) -> [UInt8] {
        let path = url.path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw ArrayIOError(file: path, "cannot open file (\(errnoText()))") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw ArrayIOError(file: path, "cannot stat file (\(errnoText()))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw ArrayIOError(file: path, "not a regular file") }
        let size = Int(info.st_size)
        guard size >= 0, size <= maximumSize else { throw ArrayIOError(file: path, "file too large (\(size) bytes)") }
        var failure: String?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var done = 0
            while done < size {
                let got = systemRead(descriptor, buffer.baseAddress! + done, size - done)
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = "read failed (\(errnoText()))"
                    break
                }
                if got == 0 { failure = "file shrank while reading"; break }
                done += got
            }
            initialized = failure == nil ? size : 0
        }
        if let failure { throw ArrayIOError(file: path, failure) }
        return bytes
    }

    /// Writes `bytes` to `url` atomically: a temporary file beside it is written, flushed (unless
    /// `flush` is false, for many small regenerable files) and renamed.
    public static func write(_ bytes: [UInt8], to url: URL, flush: Bool = true) throws(ArrayIOError) {
        let path = url.path
        let folder = url.deletingLastPathComponent().path
        let temporary = (folder.isEmpty ? "." : folder) + "/.\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw ArrayIOError(file: path, "cannot create temporary file (\(errnoText()))") }
        var failure: String?
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let wrote = systemWrite(descriptor, raw.baseAddress! + done, raw.count - done)
                if wrote < 0 {
                    if errno == EINTR { continue }
                    failure = "write failed (\(errnoText()))"
                    return
                }
                done += wrote
            }
        }
        if failure == nil, flush, fsync(descriptor) != 0 { failure = "fsync failed (\(errnoText()))" }
        if close(descriptor) != 0, failure == nil { failure = "close failed (\(errnoText()))" }
        if failure == nil, rename(temporary, path) != 0 { failure = "cannot rename temporary file into place (\(errnoText()))" }
        if let failure {
            unlink(temporary)
            throw ArrayIOError(file: path, failure)
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
