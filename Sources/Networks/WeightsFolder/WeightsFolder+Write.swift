import ArrayIO
import Foundation
import Options
import TensorCore

extension WeightsFolder {
    /// A file written into a weights folder beside the networks and `adam.pth` (the trainer's
    /// `trainer_state.json`).
    public struct ExtraFile: Sendable {
        public var name: String
        public var contents: Data

        public init(name: String, contents: Data) {
            self.name = name
            self.contents = contents
        }
    }

    /// Writes the folder `url`: every network of `models` (or those in `networks`) as `{name}.pth` (`metadata` appended to
    /// `encoder.pth`, as trainer.py `save_model`), `adam.pth` when `optimizer` is given, then
    /// `extraFiles`; replaces an existing folder of that name. The folder is written whole or not
    /// at all: the files go to a hidden temporary folder beside it (`.NAME.partial-PID-…`), renamed
    /// into place only when complete, so a killed run never leaves a half-written folder. Values
    /// are checked as they are written: a NaN or infinity anywhere aborts and leaves nothing.
    @discardableResult
    public static func write(_ models: MonodepthModels, networks: [ModelName]? = nil, metadata: EncoderMetadata,
                             optimizer: Adam?, extraFiles: [ExtraFile] = [], to url: URL) throws(CheckpointError) -> WeightsFolder {
        try writeNetworks(models.named.filter { networks?.contains($0.name) ?? true }, metadata: metadata,
                          optimizer: optimizer, extraFiles: extraFiles, to: url)
    }

    /// `write` for any list of named networks, with a hook run after each file (tests inject
    /// failures through it).
    @discardableResult
    static func writeNetworks(_ networks: [(name: ModelName, module: any Module)], metadata: EncoderMetadata,
                              optimizer: Adam?, extraFiles: [ExtraFile], to final: URL,
                              afterEachFile: (String) throws(CheckpointError) -> Void = { _ in },
                              replacement: Replacement = .exchange,
                              afterReplacementStep: (ReplacementStep) -> Void = { _ in }) throws(CheckpointError) -> WeightsFolder {
        let parent = final.deletingLastPathComponent()
        removeLeftoversOfDeadRuns(in: parent)
        let token = "\(getpid())-" + UUID().uuidString.prefix(8)
        let partial = parent.appendingPathComponent(".\(final.lastPathComponent).partial-\(token)")
        try createDirectory(partial)
        var published = false
        defer { if !published { try? FileManager.default.removeItem(at: partial) } }

        for (name, module) in networks {
            let stateDict = module.checkpointStateDict(extras: name == .encoder ? metadata.extras : [])
            for (key, array) in stateDict.tensors where !array.allFinite {
                throw .nonFinite(folder: final.path, file: name.fileName, key: key)
            }
            do { try stateDict.write(to: partial.appendingPathComponent(name.fileName)) } catch {
                throw .writeFailed(error)
            }
            try afterEachFile(name.fileName)
        }
        if let optimizer {
            let adam = optimizer.checkpointValue()
            if let key = adam.firstNonFiniteKey(path: "") {
                throw .nonFinite(folder: final.path, file: optimizerFileName, key: key)
            }
            do { try TorchCheckpoint.write(adam, to: partial.appendingPathComponent(optimizerFileName)) } catch {
                throw .writeFailed(error)
            }
            try afterEachFile(optimizerFileName)
        }
        for extra in extraFiles {
            let url = partial.appendingPathComponent(extra.name)
            do { try extra.contents.write(to: url, options: .atomic) } catch {
                throw .fileSystem(path: url.path, problem: "cannot write (\(error.localizedDescription))")
            }
            try afterEachFile(extra.name)
        }
        afterReplacementStep(.written)
        try publish(partial, as: final, token: token, replacement: replacement, afterStep: afterReplacementStep)
        published = true
        return WeightsFolder(final)
    }

    /// How an existing folder of the same name is replaced (tests choose; saves use `.exchange`).
    public enum Replacement: Sendable {
        /// An atomic exchange of the two folders (`renameat2(RENAME_EXCHANGE)` on Linux,
        /// `renamex_np(RENAME_SWAP)` on macOS): the name always holds a complete folder. Where the
        /// file system cannot exchange (NFS, some FUSE mounts), `.moveAside` is used instead.
        case exchange
        /// The old folder is renamed to `.NAME.old-PID-…`, the new one into place, then the old one
        /// removed. Between the two renames the old folder is complete under its hidden name, and
        /// `removeLeftoversOfDeadRuns` (run by every save and at the start of `train`) renames it back
        /// when its process died there.
        case moveAside
    }

    /// The moments of a save at which a crash leaves the disk in a distinct state (test hook).
    public enum ReplacementStep: String, Sendable, CaseIterable {
        /// The new folder is complete under its hidden `.partial` name.
        case written
        /// Exchange: the name holds the new folder, the hidden name the old one.
        case exchanged
        /// Move aside: the old folder is under `.old-…`, the name is free.
        case movedAside
        /// Move aside: the new folder is in place, the old one still under `.old-…`.
        case renamed
        /// The old folder is gone.
        case oldRemoved
    }

    /// Puts the finished folder in place; an existing folder of that name is replaced so that a
    /// complete copy of it (old or new) is on disk at every instant (see `Replacement`).
    private static func publish(_ partial: URL, as final: URL, token: String, replacement: Replacement,
                                afterStep: (ReplacementStep) -> Void) throws(CheckpointError) {
        let manager = FileManager.default
        guard manager.fileExists(atPath: final.path) else {
            try rename(partial, to: final)
            return
        }
        if replacement == .exchange, exchange(partial, final) {
            afterStep(.exchanged)
            // `partial` now holds the old folder.
            try? manager.removeItem(at: partial)
            afterStep(.oldRemoved)
            return
        }
        let aside = final.deletingLastPathComponent().appendingPathComponent(".\(final.lastPathComponent).old-\(token)")
        try rename(final, to: aside)
        afterStep(.movedAside)
        do {
            try rename(partial, to: final)
        } catch {
            try? rename(aside, to: final)
            throw error
        }
        afterStep(.renamed)
        try? manager.removeItem(at: aside)
        afterStep(.oldRemoved)
    }

    /// Exchanges two folders atomically; false where the system or file system cannot (nothing moved).
    private static func exchange(_ first: URL, _ second: URL) -> Bool {
        #if canImport(Darwin)
        return renamex_np(first.path, second.path, UInt32(RENAME_SWAP)) == 0
        #else
        guard let renameat2 = linuxRenameAt2 else { return false }
        let renameExchange: UInt32 = 2  // RENAME_EXCHANGE, linux/fs.h
        return renameat2(AT_FDCWD, first.path, AT_FDCWD, second.path, renameExchange) == 0
        #endif
    }

    /// Deletes hidden `.NAME.partial-PID-…` / `.NAME.old-PID-…` folders in `parent` whose process is
    /// gone (a run killed mid-save leaves one; a live concurrent run's are kept). A `.NAME.old-…`
    /// folder whose `NAME` is missing is the only copy of `NAME` (a save killed between the two
    /// renames of `.moveAside`): it is renamed back instead.
    public static func removeLeftoversOfDeadRuns(in parent: URL, isAlive: (Int32) -> Bool = { $0 == getpid() || processIsAlive($0) }) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: parent.path) else { return }
        for name in names.sorted() where name.hasPrefix(".") {
            let oldMarker = name.range(of: ".old-")
            guard let marker = name.range(of: ".partial-") ?? oldMarker else { continue }
            let rest = name[marker.upperBound...]
            guard let pid = Int32(rest.prefix { $0 != "-" }), pid > 0, !isAlive(pid) else { continue }
            let leftover = parent.appendingPathComponent(name)
            if let oldMarker {
                let original = parent.appendingPathComponent(String(name[name.index(after: name.startIndex)..<oldMarker.lowerBound]))
                if !manager.fileExists(atPath: original.path), Foundation.rename(leftover.path, original.path) == 0 { continue }
            }
            try? manager.removeItem(at: leftover)
        }
    }

    /// Whether process `pid` exists (signal 0 probes without sending).
    public static func processIsAlive(_ pid: Int32) -> Bool {
        !(kill(pid, 0) != 0 && errno == ESRCH)
    }

    private static func rename(_ source: URL, to destination: URL) throws(CheckpointError) {
        guard Foundation.rename(source.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw .fileSystem(path: destination.path, problem: "cannot rename \(source.lastPathComponent) to it (\(reason))")
        }
    }

    private static func createDirectory(_ url: URL) throws(CheckpointError) {
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw .fileSystem(path: url.path, problem: "cannot create folder (\(error.localizedDescription))")
        }
    }
}

#if !canImport(Darwin)
/// glibc's `renameat2` (2.28+), looked up at run time: Swift's Glibc module does not declare it.
private let linuxRenameAt2: (@convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32)? = {
    guard let symbol = dlsym(nil, "renameat2") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32).self)
}()
#endif

extension NDArray {
    /// Whether every value is finite (integer and bool arrays always are).
    var allFinite: Bool {
        switch elementType {
        case .float32:
            return bytes.withUnsafeBytes { raw in
                // Exponent bits all ones: NaN or infinity.
                for index in 0..<count where raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self) & 0x7F80_0000 == 0x7F80_0000 {
                    return false
                }
                return true
            }
        case .float64, .float16:
            return doubleValues().allSatisfy(\.isFinite)
        default:
            return true
        }
    }
}

extension CheckpointValue {
    /// The dotted path of the first NaN or infinity in the tree (tensors and floats), or nil.
    func firstNonFiniteKey(path: String) -> String? {
        func child(_ key: String) -> String { path.isEmpty ? key : path + "." + key }
        switch self {
        case .tensor(let tensor): return tensor.array.allFinite ? nil : path
        case .float(let value): return value.isFinite ? nil : path
        case .list(let items), .tuple(let items):
            for (index, item) in items.enumerated() {
                if let key = item.firstNonFiniteKey(path: child(String(index))) { return key }
            }
            return nil
        case .dict(let entries), .orderedDict(let entries):
            for entry in entries {
                let name = entry.key.stringValue ?? entry.key.intValue.map(String.init) ?? "?"
                if let key = entry.value.firstNonFiniteKey(path: child(name)) { return key }
            }
            return nil
        default:
            return nil
        }
    }
}
