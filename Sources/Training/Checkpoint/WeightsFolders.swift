import ArrayIO
import Foundation
import Networks
import TensorCore

/// The trainer's `log_dir/model_name/models/` folder: `weights_N/` after epoch N, `weights_best/`
/// when validation improves. Each folder is written whole or not at all: the files go to a hidden
/// temporary folder beside it (`.weights_N.partial-…`), which is renamed into place only when
/// complete, so a killed run never leaves a half-written `weights_N`. Values are checked as they
/// are written: a NaN or infinity anywhere aborts the save and leaves nothing behind.
///
/// ```swift
/// let folders = WeightsFolders(logPath: logDir.appendingPathComponent(modelName))
/// let saved = try folders.save(snapshot, as: .epoch(epoch))      // models/weights_<epoch>
/// if improved { try folders.save(snapshot, as: .best) }           // models/weights_best
/// ```
public struct WeightsFolders: Sendable {
    /// Which folder to write.
    public enum Name: Equatable, Sendable {
        /// `weights_N` (after 0-based epoch N, as the original's `save_model`).
        case epoch(Int)
        /// `weights_best`.
        case best

        public var folderName: String {
            switch self {
            case .epoch(let n): return "weights_\(n)"
            case .best: return "weights_best"
            }
        }
    }

    /// `log_dir/model_name/models`.
    public let modelsDirectory: URL

    public init(modelsDirectory: URL) { self.modelsDirectory = modelsDirectory }

    /// The folders of the run at `logPath` (`log_dir/model_name`).
    public init(logPath: URL) { self.init(modelsDirectory: logPath.appendingPathComponent("models")) }

    /// The URL of a folder.
    public func url(_ name: Name) -> URL { modelsDirectory.appendingPathComponent(name.folderName) }

    /// Writes `snapshot` as the folder `name`, replacing an existing folder of that name, and
    /// returns its URL.
    @discardableResult
    public func save(_ snapshot: TrainingSnapshot, as name: Name) throws(TrainingCheckpointError) -> URL {
        try save(snapshot, as: name, afterEachFile: { _ throws(TrainingCheckpointError) in })
    }

    /// `save` with a hook run after each file is written (tests inject failures through it).
    func save(_ snapshot: TrainingSnapshot, as name: Name,
              afterEachFile: (String) throws(TrainingCheckpointError) -> Void) throws(TrainingCheckpointError) -> URL {
        let final = url(name)
        removeLeftoversOfDeadRuns()
        let token = "\(getpid())-" + UUID().uuidString.prefix(8)
        let partial = modelsDirectory.appendingPathComponent(".\(name.folderName).partial-\(token)")
        try createDirectory(partial)
        var published = false
        defer { if !published { try? FileManager.default.removeItem(at: partial) } }

        for (modelName, module) in snapshot.models {
            let extras = modelName == ModelFile.encoder.rawValue ? snapshot.encoderMetadata.extras : []
            let stateDict = module.checkpointStateDict(extras: extras)
            let file = modelName + ".pth"
            for (key, array) in stateDict.tensors where !array.allFinite {
                throw .nonFinite(folder: final.path, file: file, key: key)
            }
            do { try stateDict.write(to: partial.appendingPathComponent(file)) } catch {
                throw .checkpoint(.writeFailed(error))
            }
            try afterEachFile(file)
        }
        let adam = snapshot.optimizer.checkpointValue()
        if let key = adam.firstNonFiniteKey(path: "") {
            throw .nonFinite(folder: final.path, file: "adam.pth", key: key)
        }
        do { try TorchCheckpoint.write(adam, to: partial.appendingPathComponent("adam.pth")) } catch {
            throw .checkpoint(.writeFailed(error))
        }
        try afterEachFile("adam.pth")
        try snapshot.state.write(to: partial)
        try afterEachFile(TrainerState.fileName)

        try publish(partial, as: final, token: token)
        published = true
        return final
    }

    /// Renames the finished folder into place. An existing folder of that name is first moved
    /// aside (a directory cannot be renamed over a non-empty one), then removed.
    private func publish(_ partial: URL, as final: URL, token: String) throws(TrainingCheckpointError) {
        let manager = FileManager.default
        var replaced: URL?
        if manager.fileExists(atPath: final.path) {
            let aside = modelsDirectory.appendingPathComponent(".\(final.lastPathComponent).old-\(token)")
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

    /// Deletes hidden `.weights_*.partial-PID-…` / `.old-PID-…` folders whose process is gone (a
    /// run killed mid-save leaves one; a live concurrent run's are kept).
    func removeLeftoversOfDeadRuns() {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: modelsDirectory.path) else { return }
        for name in names where name.hasPrefix(".weights_") {
            guard let marker = name.range(of: ".partial-") ?? name.range(of: ".old-") else { continue }
            let rest = name[marker.upperBound...]
            guard let pid = Int32(rest.prefix { $0 != "-" }), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? manager.removeItem(at: modelsDirectory.appendingPathComponent(name))
            }
        }
    }

    private func rename(_ source: URL, to destination: URL) throws(TrainingCheckpointError) {
        guard Foundation.rename(source.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw .fileSystem(path: destination.path, problem: "cannot rename \(source.lastPathComponent) to it (\(reason))")
        }
    }

    private func createDirectory(_ url: URL) throws(TrainingCheckpointError) {
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
