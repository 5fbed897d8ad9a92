import Foundation
import KITTIData

/// `evaluate`: evaluate_depth.py's `evaluate(opt)` for the depth splits and evaluate_pose.py's
/// for `odom_9`/`odom_10`, printing what the originals print.
public struct EvaluationRun {
    public var options: EvaluationOptions
    /// The depth network; nil until Networks is wired (then only `--ext_disp_to_eval` works).
    public var depthPredictor: (any DisparityPredictor)?
    /// The pose network; nil until Networks is wired.
    public var posePredictor: (any PosePredictor)?
    /// Receives standard output, each piece ending with a newline like Python's `print`.
    public var output: (String) -> Void
    /// Progress of long loops: (label, done, total). Never writes to `output`.
    public var progress: (@Sendable (String, Int, Int) -> Void)?

    public static let modelUnavailable = "model-based prediction not available yet; use --ext_disp_to_eval"

    public init(options: EvaluationOptions, output: @escaping (String) -> Void) {
        self.options = options
        self.output = output
    }

    /// Runs the evaluation the options select.
    public func run() throws {
        if options.evalSplit.odometrySequence != nil {
            try PoseEvaluationRun(parent: self).run()
        } else {
            try runDepth()
        }
    }

    func print(_ line: String) { output(line + "\n") }

    func progressReporter(_ label: String) -> (@Sendable (Int, Int) -> Void)? {
        guard let progress else { return nil }
        return { done, total in progress(label, done, total) }
    }

    func runDepth() throws {
        guard options.evalMono != options.evalStereo else {
            throw EvaluationError.invalidOptions(
                "Please choose mono or stereo evaluation by setting either --eval_mono or --eval_stereo")
        }
        var disparities = try predictions()
        if options.savePredDisps {
            guard let folder = options.expandedWeightsFolder else {
                throw EvaluationError.invalidOptions("--save_pred_disps needs --load_weights_folder (where the file goes)")
            }
            let path = URL(fileURLWithPath: folder).appendingPathComponent("disps_\(options.evalSplit.rawValue)_split.npy")
            print("-> Saving predicted disparities to  \(path.path)")
            try ArrayFiles.writeNPY(disparities, to: path)
        }
        if options.noEval {
            print("-> Evaluation disabled. Done.")
            return
        }
        if options.evalSplit == .benchmark {
            try BenchmarkPredictions.save(disparities, run: self)
            return
        }
        let gtURL = options.gtPath.map { URL(fileURLWithPath: NSString(string: $0).expandingTildeInPath) }
            ?? options.evalSplitFolder.appendingPathComponent("gt_depths.npz")
        let groundTruth = try ArrayFiles.readGroundTruth(gtURL)
        output(EvaluationReport.evaluatingLines(stereo: options.evalStereo))
        let evaluator = DepthEvaluator(
            eigenCrop: options.evalSplit == .eigen || options.evalSplit == .synthetic,
            scaleFactor: options.evalStereo ? DepthEvaluator.stereoScaleFactor : options.predDepthScaleFactor,
            medianScaling: !(options.evalStereo || options.disableMedianScaling))
        let result = try evaluator.evaluate(disparities, groundTruth: groundTruth, groundTruthFile: gtURL.path,
                                            progress: progressReporter("evaluating"))
        disparities = .float32(MapStack(count: 0, height: 0, width: 0, values: []))  // free early
        if let median = result.ratioMedian, let deviation = result.ratioStandardDeviation {
            print(EvaluationReport.ratioLine(median: median, standardDeviation: deviation))
        }
        output(EvaluationReport.table(result.mean))
    }

    /// The disparities to evaluate: from `--ext_disp_to_eval`, or computed by the model.
    func predictions() throws -> Disparities {
        guard let external = options.extDispToEval else { return try modelPredictions() }
        print("-> Loading predictions from \(external)")
        var disparities = try ArrayFiles.readDisparities(URL(fileURLWithPath: external))
        if options.evalEigenToBenchmark {
            let ids = options.splitsDirectory.appendingPathComponent("benchmark/eigen_to_benchmark_ids.npy")
            disparities = disparities.gathering(try ArrayFiles.readIndices(ids, limit: disparities.count))
        }
        return disparities
    }

    func modelPredictions() throws -> Disparities {
        guard let folder = options.expandedWeightsFolder else {
            throw EvaluationError.invalidOptions("--load_weights_folder is required unless --ext_disp_to_eval is given")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw EvaluationError.missingFile(path: folder, what: "weights folder")
        }
        guard var predictor = depthPredictor else { throw EvaluationError.unavailable(Self.modelUnavailable) }
        print("-> Loading weights from \(folder)")
        let listURL = options.evalSplitFolder.appendingPathComponent("test_files.txt")
        let entries = try EvaluationError.converting { () throws(KITTIDataError) in try SplitFile.readDatasetEntries(listURL) }
        let size = try predictor.load(weightsFolder: URL(fileURLWithPath: folder), numLayers: options.numLayers)
        print("-> Computing predictions with size \(size.width)x\(size.height)")
        return try predictor.predictDisparities(
            entries: entries, dataPath: URL(fileURLWithPath: options.dataPath), postProcess: options.postProcess,
            minDepth: options.minDepth, maxDepth: options.maxDepth, progress: progressReporter("predicting"))
    }
}
