import Foundation
import KITTIData

/// `evaluate_pose.py evaluate` for `--eval_split odom_9|odom_10`.
struct PoseEvaluationRun {
    let parent: EvaluationRun

    func run() throws {
        let options = parent.options
        guard let sequence = options.evalSplit.odometrySequence else { return }
        // The pose script does not expand `~`.
        guard let folder = options.loadWeightsFolder else {
            throw EvaluationError.invalidOptions("pose evaluation needs --load_weights_folder")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw EvaluationError.missingFile(path: folder, what: "weights folder")
        }
        let sequenceName = sequence < 10 ? "0\(sequence)" : "\(sequence)"
        let listURL = options.splitsDirectory.appendingPathComponent("odom/test_files_\(sequenceName).txt")
        let entries = try EvaluationError.converting { () throws(KITTIDataError) in try SplitFile.readEntries(listURL) }
        guard var predictor = parent.posePredictor else { throw EvaluationError.unavailable(EvaluationRun.modelUnavailable) }
        try predictor.load(weightsFolder: URL(fileURLWithPath: folder), numLayers: options.numLayers)
        parent.print("-> Computing pose predictions")
        let dataPath = URL(fileURLWithPath: options.dataPath)
        let predicted = try predictor.predictPoses(entries: entries, dataPath: dataPath, height: options.height,
                                                   width: options.width, batchSize: options.batchSize,
                                                   progress: parent.progressReporter("predicting"))
        let posesURL = dataPath.appendingPathComponent("poses/\(sequenceName).txt")
        let groundTruth = try PoseEvaluation.readPoses(posesURL)
        let errors = try PoseEvaluation.snippetErrors(predicted: predicted, groundTruthGlobal: groundTruth,
                                                      groundTruthFile: posesURL.path)
        parent.output(PoseEvaluation.report(errors) + "\n")
        let saveURL = URL(fileURLWithPath: folder).appendingPathComponent("poses.npy")
        try ArrayFiles.writeNPY(floats: predicted.flatMap { $0.map { Float($0) } }, shape: [predicted.count, 4, 4], to: saveURL)
        parent.print("-> Predictions saved to \(saveURL.path)")
    }
}
