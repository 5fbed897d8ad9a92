/// A malformed or unsupported compressed stream. Callers that know the file wrap it with the path.
public struct CodecError: Error, CustomStringConvertible, Equatable, Sendable {
    public var problem: String
    public init(_ problem: String) { self.problem = problem }
    public var description: String { problem }
}
