/// What can go wrong generating a world: a configuration that cannot be honoured, or a file that
/// cannot be written (named with the reason).
public enum SynthError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidConfig(String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidConfig(let message): return message
        case let .cannotWrite(path, reason): return "\(path): cannot write (\(reason))"
        }
    }
}
