/// One entry of `--frame_ids`: a temporal offset from the split line's frame (0, -1, 1, ...) or
/// `"s"`, the other camera of the stereo pair at the same frame (MONODEPTH2.md §5.2).
public enum FrameID: Hashable, Sendable, CustomStringConvertible {
    case offset(Int)
    case stereo

    /// `0`, `-1`, `s`: as the original's dictionary keys print and as fixture file names use them.
    public var description: String {
        switch self {
        case .offset(let offset): return String(offset)
        case .stereo: return "s"
        }
    }

    /// Parses `0`, `-1`, `+1` or `s`.
    public init?(_ text: String) {
        if text == "s" { self = .stereo; return }
        guard let offset = Int(text) else { return nil }
        self = .offset(offset)
    }
}
