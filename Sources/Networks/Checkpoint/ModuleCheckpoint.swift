import ArrayIO
import Foundation
import TensorCore

/// How keys are matched when loading a checkpoint into a module.
public enum CheckpointLoadMode: Sendable {
    /// Every model key must be in the file and every file key in the model (missing
    /// `num_batches_tracked` is tolerated: files from before PyTorch 0.4.1 lack it).
    case strict
    /// The trainer's `load_model`: file keys the model lacks are skipped and model keys the file
    /// lacks keep their values; both are reported. Shapes must still match.
    case tolerant
}

/// What a load did not use or did not find (always empty after a strict load).
public struct CheckpointLoadReport: Equatable, Sendable {
    /// File keys (tensors and non-metadata extras) that the model does not have.
    public var skippedKeys: [String]
    /// Model keys that the file does not have (left unchanged).
    public var missingKeys: [String]
}

extension Module {
    /// Loads the tensors of `stateDict` (read from `file`, which only names it in errors) into this
    /// module by key. Non-tensor entries named in `metadataKeys` (encoder.pth's `height`, `width`,
    /// `use_stereo`) are ignored; any other non-tensor entry counts as an unexpected key. Float
    /// arrays of any width load into float32 entries, integer arrays into int64 counters. Nothing is
    /// assigned when it throws.
    @discardableResult
    public func load(_ stateDict: StateDict, file: String, mode: CheckpointLoadMode = .strict,
                     metadataKeys: Set<String> = []) throws(CheckpointError) -> CheckpointLoadReport {
        let entries = stateEntries()
        var arrays: [String: NDArray] = [:]
        for (key, array) in stateDict.tensors { arrays[key] = array }
        let modelKeys = Set(entries.map(\.key))

        var missing: [CheckpointError.KeyShape] = []
        for entry in entries where arrays[entry.key] == nil {
            if mode == .strict && entry.key.hasSuffix("num_batches_tracked") { continue }
            missing.append(.init(entry.key, entry.value.shape))
        }
        var unexpected: [CheckpointError.KeyShape] = []
        for (key, array) in stateDict.tensors where !modelKeys.contains(key) { unexpected.append(.init(key, array.shape)) }
        for (key, _) in stateDict.extras where !metadataKeys.contains(key) { unexpected.append(.init(key, [])) }
        if mode == .strict {
            let realMissing = missing.filter { !$0.key.hasSuffix("num_batches_tracked") }
            if !realMissing.isEmpty { throw .missingKeys(file: file, keys: realMissing) }
            if !unexpected.isEmpty { throw .unexpectedKeys(file: file, keys: unexpected) }
        }

        var updates: [(StateEntry, NDArray)] = []
        for entry in entries {
            guard let array = arrays[entry.key] else { continue }
            let current = entry.value
            guard array.shape == current.shape else {
                throw .shapeMismatch(file: file, key: entry.key, modelShape: current.shape, fileShape: array.shape)
            }
            guard current.dtype.accepts(array.elementType) else {
                throw .typeMismatch(file: file, key: entry.key, modelType: current.dtype.rawValue, fileType: array.elementType.rawValue)
            }
            updates.append((entry, array))
        }
        for (entry, array) in updates {
            let current = entry.value
            var tensor = Tensor(array, on: current.backend)
            if tensor.dtype != current.dtype { tensor = tensor.converted(to: current.dtype) }
            entry.assign(tensor)
        }
        return CheckpointLoadReport(skippedKeys: unexpected.map(\.key),
                                    missingKeys: missing.map(\.key))
    }

    /// Reads the `.pth` file at `url` and loads it (see `load(_:file:mode:metadataKeys:)`).
    @discardableResult
    public func load(contentsOf url: URL, mode: CheckpointLoadMode = .strict,
                     metadataKeys: Set<String> = []) throws(CheckpointError) -> CheckpointLoadReport {
        try load(try CheckpointFile.read(url), file: url.path, mode: mode, metadataKeys: metadataKeys)
    }

    /// The module's `state_dict()` as host arrays in PyTorch order, followed by `extras`.
    public func checkpointStateDict(extras: [(key: String, value: CheckpointValue)] = []) -> StateDict {
        StateDict(tensors: stateEntries().map { ($0.key, NDArray($0.value)) }, extras: extras)
    }
}

/// Reading and writing single `.pth` files with `CheckpointError`s.
public enum CheckpointFile {
    /// Reads a state dict; a missing file is `.missingFile`, anything else `.unreadable`.
    public static func read(_ url: URL, hint: String = "") throws(CheckpointError) -> StateDict {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .missingFile(file: url.path, hint: hint)
        }
        do {
            return try StateDict.read(contentsOf: url)
        } catch {
            throw .unreadable(error)
        }
    }

    /// Writes a state dict in the zip format (`torch.load` reads it; `weights_only=True` too), atomically.
    public static func write(_ stateDict: StateDict, to url: URL) throws(CheckpointError) {
        do {
            try stateDict.write(to: url)
        } catch {
            throw .writeFailed(error)
        }
    }
}
