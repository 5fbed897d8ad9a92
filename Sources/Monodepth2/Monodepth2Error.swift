/// Why a `Monodepth2` call failed. Every case that concerns a file names it, and `description` is
/// one line: the file, then what is wrong with it.
public enum Monodepth2Error: Error, Equatable, Sendable, CustomStringConvertible {
    /// The weights folder does not exist or is not a folder.
    case weightsFolderNotFound(path: String)
    /// A checkpoint (`encoder.pth`, `depth.pth`) is missing, unreadable or does not fit the network;
    /// `problem` is the one-line message, which names the file.
    case checkpoint(file: String, problem: String)
    /// `encoder.pth` has no `height` and `width` entries (the size the model was trained at).
    case missingTrainedSize(file: String)
    /// `encoder.pth`'s trained size is not a multiple of 32.
    case unsupportedTrainedSize(file: String, width: Int, height: Int)
    /// An image file could not be read or decoded (`problem` names the file).
    case unreadableImage(file: String, problem: String)
    /// An array file could not be read, or holds something other than a depth or disparity map.
    case unreadableArray(file: String, problem: String)
    /// A file could not be written.
    case writeFailed(file: String, problem: String)
    /// An argument the caller passed is out of range (`problem` says which and why).
    case invalidArgument(String)

    /// The file the error is about, when there is one.
    public var file: String? {
        switch self {
        case let .weightsFolderNotFound(path): return path
        case let .checkpoint(file, _), let .missingTrainedSize(file), let .unsupportedTrainedSize(file, _, _),
             let .unreadableImage(file, _), let .unreadableArray(file, _), let .writeFailed(file, _):
            return file
        case .invalidArgument: return nil
        }
    }

    /// One line: the file and the problem.
    public var description: String {
        switch self {
        case let .weightsFolderNotFound(path):
            return "\(path): weights folder not found (it should hold encoder.pth and depth.pth)"
        case let .checkpoint(_, problem), let .unreadableImage(_, problem):
            return problem
        case let .missingTrainedSize(file):
            return "\(file): has no 'height' and 'width' entries (the size the model was trained at)"
        case let .unsupportedTrainedSize(file, width, height):
            return "\(file): trained size \(width)x\(height) is not a multiple of 32"
        case let .unreadableArray(file, problem), let .writeFailed(file, problem):
            return problem.hasPrefix(file) ? problem : "\(file): \(problem)"
        case let .invalidArgument(problem):
            return problem
        }
    }
}
