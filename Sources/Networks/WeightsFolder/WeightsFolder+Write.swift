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
                              afterEachFile: (String) throws(CheckpointError) -> Void = { _ in }) throws(CheckpointError) -> WeightsFolder {
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
        try publish(partial, as: final, token: token)
        published = true
        return WeightsFolder(final)
    }

    /// Renames the finished folder into place. An existing folder of that name is first moved
    /// aside (a directory cannot be renamed over a non-empty one), then removed.
    private static func publish(_ partial: URL, as final: URL, token: String) throws(CheckpointError) {
        let manager = FileManager.default
        var replaced: URL?
        if manager.fileExists(atPath: final.path) {
            let aside = final.deletingLastPathComponent().appendingPathComponent(".\(final.lastPathComponent).old-\(token)")
            try rename(final, to: aside)
            replaced = aside
        }
        do {
            try rename(partial, to: final)
        } catch {
            if let replaced { try? rename(replaced, to: final) }
            throw error
        }
        if let replaced { try? manager.removeItem(at: replaced) }
    }

    /// Deletes hidden `.NAME.partial-PID-…` / `.NAME.old-PID-…` folders in `parent` whose process is
    /// gone (a run killed mid-save leaves one; a live concurrent run's are kept).
    static func removeLeftoversOfDeadRuns(in parent: URL) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: parent.path) else { return }
        for name in names where name.hasPrefix(".") {
            guard let marker = name.range(of: ".partial-") ?? name.range(of: ".old-") else { continue }
            let rest = name[marker.upperBound...]
            guard let pid = Int32(rest.prefix { $0 != "-" }), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? manager.removeItem(at: parent.appendingPathComponent(name))
            }
        }
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
