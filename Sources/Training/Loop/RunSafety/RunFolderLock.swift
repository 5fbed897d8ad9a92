import Foundation

/// One run per run folder (`log_dir/model_name`): an advisory `flock` on `train.lock` in it, held for
/// the process's life. A second `train` on the same folder fails at once, naming the folder and the
/// holder's PID (written into the file after the lock is taken). The kernel releases the lock when
/// its holder exits in any way, `kill -9` included, so a stale file never blocks a new run: only the
/// lock counts, never the file's presence (the file is left in place; deleting it would race with a
/// run that has just opened it).
///
/// The PID is written in place, not through a temporary file and a rename: the lock belongs to the
/// file's inode, so renaming another file over it would let a third run lock a different inode.
///
/// On NFS: Linux's `flock` on an NFS mount is carried out as a whole-file POSIX (`fcntl`) lock, which
/// NFSv4 holds on the server and NFSv3 through lockd/NLM, so two runs on different nodes exclude each
/// other; a mount with `nolock` (or `local_lock=flock`) makes the lock local to one node.
public final class RunFolderLock {
    public static let fileName = "train.lock"
    /// The run folder.
    public let folder: URL
    private let descriptor: Int32

    /// Creates the run folder when needed and takes its lock without waiting.
    public init(folder: URL) throws(TrainerError) {
        self.folder = folder
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .runFolderUnusable(folder: folder.path, cause: "cannot create it (\(Self.reason(of: error)))")
        }
        let file = folder.appendingPathComponent(Self.fileName)
        let descriptor = open(file.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .runFolderUnusable(folder: folder.path, cause: "cannot create \(Self.fileName) in it (\(String(cString: strerror(errno))))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let cause = errno
            let holder = Self.holder(descriptor)
            close(descriptor)
            if cause == EWOULDBLOCK { throw .runFolderLocked(folder: folder.path, holder: holder) }
            throw .runFolderUnusable(folder: folder.path, cause: "cannot lock \(Self.fileName) (\(String(cString: strerror(cause))))")
        }
        self.descriptor = descriptor
        let text = Array("\(getpid())\n".utf8)
        if ftruncate(descriptor, 0) != 0 || text.withUnsafeBytes({ pwrite(descriptor, $0.baseAddress, $0.count, 0) }) != text.count {
            let cause = String(cString: strerror(errno))
            close(descriptor)
            throw .runFolderUnusable(folder: folder.path, cause: "cannot write \(Self.fileName) (\(cause))")
        }
    }

    deinit { close(descriptor) }

    /// The PID the holder wrote, if it has written one yet.
    private static func holder(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private static func reason(of error: any Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let underlying, underlying.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(underlying.code))) }
        return error.localizedDescription
    }
}
