import CommandLineKit
import Evaluation
import Foundation
import Synth

// synth-kitti: the synthetic KITTI-format world, then its test split's ground truth via export-gt.
runMain {
    let options = try SynthCommandLine().parse(Array(CommandLine.arguments.dropFirst()))
    let root = URL(fileURLWithPath: options.out)
    let bars = ProgressBars()
    let start = Progress.monotonicSeconds()
    let layout = try SyntheticWorld.generate(config: options.config, to: root) { done, total in
        bars.update("rendering", done, total)
    }
    // The ground truth is export-gt's own (eigen: velodyne projected with generate_depth_map).
    var export = GroundTruthExportRun(dataPath: root, split: .eigen) { _ in }
    export.splitFile = layout.testList
    export.outputFile = layout.groundTruth
    export.progress = { done, total in bars.update("ground truth", done, total) }
    try export.run()
    let seconds = Progress.monotonicSeconds() - start
    print("wrote \(options.config.drives) x \(options.config.frames) frames to \(root.path) in \(String(format: "%.1f", seconds)) s")
    print("use: --data_path \(root.path) --split \(WorldLayout.splitName)  (evaluate: --eval_split \(WorldLayout.splitName))")
}
