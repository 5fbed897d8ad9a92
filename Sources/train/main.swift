import CommandLineKit

// `train` mirrors train.py; the epoch loop lands with issue 17.
struct NotBuiltYet: Error, CustomStringConvertible {
    var description: String { "train is not built yet" }
}
runMain { throw NotBuiltYet() }
