import CommandLineKit

// `synth-kitti` writes the synthetic KITTI-format world; it lands with issue 15.
struct NotBuiltYet: Error, CustomStringConvertible {
    var description: String { "synth-kitti is not built yet" }
}
runMain { throw NotBuiltYet() }
