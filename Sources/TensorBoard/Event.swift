import Codecs

/// TensorBoard's `Event`, `Summary`, `Summary.Value` and `Summary.Image` messages
/// (tensorflow/core/util/event.proto, framework/summary.proto), reduced to what the trainer
/// writes. Encoded as proto3 serializers do: fields in number order, a non-oneof field at its
/// default (0, empty) left out, a oneof member always written.
public struct Event: Equatable, Sendable {
    /// What the event carries (the proto's `what` oneof).
    public enum Content: Equatable, Sendable {
        /// `file_version` (field 3): the first event of every file, `brain.Event:2`.
        case fileVersion(String)
        /// `summary` (field 5).
        case summary(Summary)
    }

    /// Seconds since the Unix epoch (field 1).
    public var wallTime: Double
    /// The global step (field 2).
    public var step: Int64
    public var content: Content
    /// `source_metadata.writer` (fields 10 → 1): the name of the writing program, or nil.
    public var sourceWriter: String?

    public init(wallTime: Double, step: Int64 = 0, content: Content, sourceWriter: String? = nil) {
        self.wallTime = wallTime
        self.step = step
        self.content = content
        self.sourceWriter = sourceWriter
    }

    /// The file's first event (`file_version` = `brain.Event:2`).
    public static func fileVersion(wallTime: Double, sourceWriter: String?) -> Event {
        Event(wallTime: wallTime, content: .fileVersion("brain.Event:2"), sourceWriter: sourceWriter)
    }

    /// The serialized message.
    public func encoded() -> [UInt8] {
        var writer = ProtobufWriter()
        if wallTime != 0 || wallTime.sign == .minus { writer.appendDouble(1, wallTime) }
        if step != 0 { writer.appendInt(2, step) }
        switch content {
        case .fileVersion(let version): writer.appendString(3, version)
        case .summary(let summary): writer.appendBytes(5, summary.encoded())
        }
        if let sourceWriter {
            var metadata = ProtobufWriter()
            if !sourceWriter.isEmpty { metadata.appendString(1, sourceWriter) }
            writer.appendBytes(10, metadata.bytes)
        }
        return writer.bytes
    }
}

/// A `Summary`: a list of tagged values.
public struct Summary: Equatable, Sendable {
    public var values: [Value]

    public init(_ values: [Value]) { self.values = values }

    /// A `Summary.Value`: a tag and a scalar or an image.
    public struct Value: Equatable, Sendable {
        public enum Content: Equatable, Sendable {
            /// `simple_value` (field 2, float).
            case scalar(Float)
            /// `image` (field 4).
            case image(SummaryImage)
        }

        /// `tag` (field 1).
        public var tag: String
        public var content: Content

        public init(tag: String, _ content: Content) {
            self.tag = tag
            self.content = content
        }

        func encoded() -> [UInt8] {
            var writer = ProtobufWriter()
            if !tag.isEmpty { writer.appendString(1, tag) }
            switch content {
            case .scalar(let value): writer.appendFloat(2, value)
            case .image(let image): writer.appendBytes(4, image.encoded())
            }
            return writer.bytes
        }
    }

    func encoded() -> [UInt8] {
        var writer = ProtobufWriter()
        for value in values { writer.appendBytes(1, value.encoded()) }
        return writer.bytes
    }
}
