import CommandLineKit
import Foundation
import Training

// quickstart: the README's first command. Generates the synthetic world (first use, cached), trains
// a small mono+stereo model from scratch, evaluates it against the untrained one on the world's test
// split, and writes a disparity picture of a held-out frame. Nothing is downloaded.
runMain {
    var flags = FlagSet(program: "quickstart", overview: """
        Runs the whole pipeline on the embedded synthetic KITTI-layout world: generate it (first use, \
        cached), train a small mono+stereo model from scratch (train), evaluate it next to the untrained \
        model on the test split (evaluate), and write a disparity picture of a held-out frame (demo).
        """)
    let out = flags.option("out", default: ".build/quickstart", help: "folder for the world, the run and the pictures")
    let epochs = flags.option("epochs", default: 12, help: "training epochs of the small recipe")
    let parsed = try flags.parse(Array(CommandLine.arguments.dropFirst()))
    let quickStart = QuickStart(out: URL(fileURLWithPath: parsed[out]), epochs: parsed[epochs],
                                say: { TrainingConsole.writeStandardOutput($0 + "\n") })
    try quickStart.run()
}
