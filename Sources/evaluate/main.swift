import CommandLineKit
import Evaluation
import Foundation

// evaluate: evaluate_depth.py / evaluate_pose.py over the Evaluation library.
runMain {
    let options = try EvaluateCommandLine().parse(Array(CommandLine.arguments.dropFirst()))
    var run = EvaluationRun(options: options) { FileHandle.standardOutput.write(Data($0.utf8)) }
    run.depthPredictor = NetworkDisparityPredictor()
    run.posePredictor = NetworkPosePredictor()
    let bars = ProgressBars()
    run.progress = { label, done, total in bars.update(label, done, total) }
    try run.run()
}
