/// Why an events file could not be created or written: the file (or `<image>`) and the problem.
public struct TensorBoardError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var problem: String

    public init(file: String, _ problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }
}
