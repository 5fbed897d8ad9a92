import CommandLineKit
import Options

// `train` mirrors train.py; the epoch loop lands with issue 17. Today it parses and validates the
// shared options (so `train --help` lists them) and stops.
struct NotBuiltYet: Error, CustomStringConvertible {
    var description: String { "train is not built yet" }
}
runMain {
    let options = try MonodepthOptions.parse(Array(CommandLine.arguments.dropFirst()), program: "train",
                                             overview: "Trains Monodepth2 like train.py (options.py's flags).")
    try options.validate(for: .training)
    throw NotBuiltYet()
}
