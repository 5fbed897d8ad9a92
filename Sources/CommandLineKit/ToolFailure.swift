/// A problem a tool reports as one line naming the file or flag and what is wrong (`runMain` prints
/// `error: ...` and exits with status 1). For the tools' own checks; library modules throw their
/// typed errors.
public struct ToolFailure: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
