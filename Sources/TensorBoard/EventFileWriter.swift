import Foundation
#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
private let systemClose = Glibc.close
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
private let systemClose = Darwin.close
#endif

/// A TensorBoard events file, `events.out.tfevents.<time>.<host>` in a folder, written by our own
/// code (no TensorFlow): the `file_version` event first, then one TFRecord per `add…` call.
///
/// Each record goes to the file in one `write(2)` as soon as it is made (the file is opened
/// `O_APPEND`, no user-space buffer), so a killed run leaves every finished record readable;
/// TensorBoard skips a truncated last record. Thread-safe.
///
/// ```swift
/// let writer = try EventFileWriter(directory: logPath.appendingPathComponent("train"))
/// try writer.addScalar("loss", 0.1234, step: 250)
/// try writer.addImage("disp_0/0", SummaryImage(chw: disp, channels: 1, height: 192, width: 640), step: 250)
/// ```
public final class EventFileWriter: @unchecked Sendable {
    /// The events file.
    public let url: URL
    private let descriptor: Int32
    private let wallClock: @Sendable () -> Double
    private let lock = NSLock()
    private var closed = false

    /// The name `source_metadata.writer` records in our files.
    public static let sourceWriterName = "monodepth2-swift"

    /// Creates `directory` (and parents) and a new events file in it, and writes the
    /// `file_version` event. An existing file of the same name (same second, same host) is never
    /// appended to: the name gets a `.1`, `.2`, … suffix.
    /// - Parameters:
    ///   - hostname: the host in the file name (default: this machine's).
    ///   - wallClock: seconds since the Unix epoch for the file name and each event (injected by tests).
    ///   - sourceWriter: the `source_metadata.writer` of the first event (nil: none).
    public init(directory: URL, hostname: String = EventFileWriter.hostname(),
                wallClock: @escaping @Sendable () -> Double = EventFileWriter.currentTime,
                sourceWriter: String? = EventFileWriter.sourceWriterName) throws(TensorBoardError) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw TensorBoardError(file: directory.path, "cannot create folder (\(error.localizedDescription))")
        }
        let now = wallClock()
        let base = "events.out.tfevents." + String(format: "%010d", Int(now)) + "." + hostname
        var attempt = 0
        while true {
            let name = attempt == 0 ? base : base + ".\(attempt)"
            let candidate = directory.appendingPathComponent(name)
            let fd = open(candidate.path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
            if fd >= 0 {
                url = candidate
                descriptor = fd
                break
            }
            let code = errno
            guard code == EEXIST, attempt < 1000 else {
                throw TensorBoardError(file: candidate.path, "cannot create events file (\(String(cString: strerror(code))))")
            }
            attempt += 1
        }
        self.wallClock = wallClock
        try write(.fileVersion(wallTime: now, sourceWriter: sourceWriter))
    }

    deinit { close() }

    /// Logs a scalar (`Summary.Value.simple_value`, float32 as TensorBoard stores it) at `step`.
    public func addScalar(_ tag: String, _ value: Double, step: Int, wallTime: Double? = nil) throws(TensorBoardError) {
        try addSummary(Summary([.init(tag: tag, .scalar(Float(value)))]), step: step, wallTime: wallTime)
    }

    /// Logs an image at `step`.
    public func addImage(_ tag: String, _ image: SummaryImage, step: Int, wallTime: Double? = nil) throws(TensorBoardError) {
        try addSummary(Summary([.init(tag: tag, .image(image))]), step: step, wallTime: wallTime)
    }

    /// Logs a summary (several values share one event) at `step`.
    public func addSummary(_ summary: Summary, step: Int, wallTime: Double? = nil) throws(TensorBoardError) {
        try write(Event(wallTime: wallTime ?? wallClock(), step: Int64(step), content: .summary(summary)))
    }

    /// Appends one event as a framed record.
    public func write(_ event: Event) throws(TensorBoardError) {
        let record = TFRecord.record(event.encoded())
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { throw TensorBoardError(file: url.path, "write after close") }
        var offset = 0
        while offset < record.count {
            let written = record.withUnsafeBytes { buffer in
                systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                throw TensorBoardError(file: url.path, "cannot write (\(String(cString: strerror(code))))")
            }
            offset += written
        }
    }

    /// Closes the file; later writes throw. Idempotent.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        _ = systemClose(descriptor)
    }

    /// This machine's host name (as Python's `socket.gethostname()`).
    public static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Seconds since the Unix epoch.
    @Sendable public static func currentTime() -> Double { Date().timeIntervalSince1970 }
}
