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
    // The ground truth is export-gt's own (`export-gt --split synthetic`: the velodyne scans
    // projected like eigen, from <out>/splits/synthetic/test_files.txt, written beside it).
    var export = GroundTruthExportRun(dataPath: root, split: .synthetic) { _ in }
    guard export.destination.standardizedFileURL.path == layout.groundTruth.standardizedFileURL.path else {
        throw SynthError.invalidConfig("internal error: export-gt would write \(export.destination.path), not \(layout.groundTruth.path)")
    }
    export.progress = { done, total in bars.update("ground truth", done, total) }
    try export.run()
    let seconds = Progress.monotonicSeconds() - start
    print("wrote \(options.config.drives) x \(options.config.frames) frames to \(root.path) in \(String(format: "%.1f", seconds)) s")
    print("use: --data_path \(root.path) --split \(WorldLayout.splitName)  (evaluate: --eval_split \(WorldLayout.splitName))")
    if options.config.folderLayout {
        print("folder dataset: train --dataset folder --data_path \(layout.folderRoot.path)  (evaluate as above)")
    }
}
