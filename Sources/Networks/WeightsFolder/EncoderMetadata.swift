import ArrayIO

/// The extra entries `Trainer.save_model` appends to `encoder.pth`: the training input size and
/// whether stereo pairs were used.
public struct EncoderMetadata: Equatable, Sendable {
    public var height: Int
    public var width: Int
    public var useStereo: Bool

    public init(height: Int, width: Int, useStereo: Bool) {
        self.height = height
        self.width = width
        self.useStereo = useStereo
    }

    /// The keys of the entries.
    public static let keys: Set<String> = ["height", "width", "use_stereo"]

    /// The entries in the order the trainer writes them.
    public var extras: [(key: String, value: CheckpointValue)] {
        [("height", .int(height)), ("width", .int(width)), ("use_stereo", .bool(useStereo))]
    }

    /// The metadata of a read `encoder.pth`: nil when it has none of the three entries; an error
    /// when only some are present or one has the wrong kind or an absurd value.
    public init?(_ stateDict: StateDict, file: String) throws(CheckpointError) {
        let present = EncoderMetadata.keys.filter { stateDict.extra($0) != nil }
        if present.isEmpty { return nil }
        func size(_ key: String) throws(CheckpointError) -> Int {
            guard let value = stateDict.extra(key) else { throw .badMetadata(file: file, key: key, problem: "missing (height and width go together)") }
            guard let number = value.intValue else { throw .badMetadata(file: file, key: key, problem: "not an integer (\(value))") }
            guard number > 0, number <= 1 << 16 else { throw .badMetadata(file: file, key: key, problem: "absurd size \(number)") }
            return number
        }
        height = try size("height")
        width = try size("width")
        switch stateDict.extra("use_stereo") {
        case nil: useStereo = false
        case .some(.bool(let flag)): useStereo = flag
        case .some(.int(let flag)) where flag == 0 || flag == 1: useStereo = flag == 1
        case .some(let other): throw .badMetadata(file: file, key: "use_stereo", problem: "not a bool (\(other))")
        }
    }
}
