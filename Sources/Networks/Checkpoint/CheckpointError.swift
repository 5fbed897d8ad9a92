import ArrayIO
import TensorCore

/// Why a model checkpoint could not be read, loaded or written. Every case names the file; key
/// problems name the key and both shapes, so the user sees one clear line.
public enum CheckpointError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file is absent; `hint` says what to put where.
    case missingFile(file: String, hint: String)
    /// The file could not be read or parsed (the ArrayIO problem).
    case unreadable(ArrayIOError)
    /// The file could not be written (the ArrayIO problem).
    case writeFailed(ArrayIOError)
    /// Model keys absent from the file, with the shapes the model expects.
    case missingKeys(file: String, keys: [KeyShape])
    /// File keys the model does not have, with their shapes in the file ([] for non-tensor entries).
    case unexpectedKeys(file: String, keys: [KeyShape])
    case shapeMismatch(file: String, key: String, modelShape: [Int], fileShape: [Int])
    case typeMismatch(file: String, key: String, modelType: String, fileType: String)
    /// A metadata entry (`height`, `width`, `use_stereo`) of the wrong kind.
    case badMetadata(file: String, key: String, problem: String)
    /// A value to be saved is NaN or infinite: nothing was written.
    case nonFinite(folder: String, file: String, key: String)
    /// A folder or file operation failed.
    case fileSystem(path: String, problem: String)
    /// The file's keys and shapes match none of the networks the toolkit builds (`problem` says why).
    case unrecognisedNetwork(file: String, problem: String)

    /// A key and a shape.
    public struct KeyShape: Equatable, Sendable, CustomStringConvertible {
        public var key: String
        public var shape: [Int]
        public init(_ key: String, _ shape: [Int]) { self.key = key; self.shape = shape }
        public var description: String { "\(key) \(shape)" }
    }

    public var description: String {
        switch self {
        case let .missingFile(file, hint): return "\(file): file not found. \(hint)"
        case let .unreadable(error): return error.description
        case let .writeFailed(error): return "cannot write checkpoint: \(error.description)"
        case let .missingKeys(file, keys):
            return "\(file): missing \(keys.count) key(s) the model needs: " + Self.list(keys) + " (shape in the model; absent from the file)"
        case let .unexpectedKeys(file, keys):
            return "\(file): \(keys.count) unexpected key(s) the model does not have: " + Self.list(keys) + " (shape in the file)"
        case let .shapeMismatch(file, key, model, found):
            return "\(file): key \(key) has shape \(found) in the file but \(model) in the model"
        case let .typeMismatch(file, key, model, found):
            return "\(file): key \(key) has type \(found) in the file but \(model) in the model"
        case let .badMetadata(file, key, problem): return "\(file): entry '\(key)': \(problem)"
        case let .nonFinite(folder, file, key):
            return "\(folder): not saved: \(file) entry \(key) holds a NaN or infinite value"
        case let .fileSystem(path, problem): return "\(path): \(problem)"
        case let .unrecognisedNetwork(file, problem): return "\(file): not a Monodepth2 network this toolkit builds: \(problem)"
        }
    }

    private static func list(_ keys: [KeyShape]) -> String {
        let shown = keys.prefix(6).map(\.description).joined(separator: ", ")
        return keys.count > 6 ? shown + ", … (\(keys.count - 6) more)" : shown
    }
}
