import Foundation

/// Everything that can go wrong reading or writing array files. Each case names the file
/// (or "<memory>" for in-memory data) and the problem, so a user sees one clear line.
public struct ArrayIOError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var problem: String

    public init(file: String, _ problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }
}
