import CommandLineKit
import Evaluation
import Foundation
import ImageIO
import KITTIData
import Networks
import Options
import Synth
import TensorCore
import Training

/// The quick start: the whole pipeline on the embedded synthetic world, with nothing downloaded.
/// 1. the world (generated on first use, cached under `--out`), 2. a small mono+stereo training
/// run from scratch, 3. the original's metric table on the world's test split for the untrained
/// and the trained model, 4. a disparity picture of a held-out frame.
struct QuickStart {
    /// Where everything goes (default `.build/quickstart`, which .gitignore covers).
    var out: URL
    /// Training epochs of the recipe.
    var epochs: Int
    var say: (String) -> Void

    /// The world: 2 streets × 60 frames at 640×192 (finer textures than 416×128 survive the resize to the training size) (the second street is the test split).
    static let world = SyntheticWorldConfig(drives: 2, frames: 60, seed: 0, width: 640, height: 192)

    /// The recipe: 64×192, batch 6, frames 0 −1 1 plus the stereo pair, scratch weights, lr 5e-4,
    /// seed 1, and `--min_depth 0.5` (disparities in [0.01, 2] instead of [0.01, 10]).
    /// Why the depth range: an untrained decoder's sigmoid sits near 0.5. With the original's range
    /// that is a depth of 0.2 (1 m after the stereo scale 5.4): the stereo view is then warped some 50
    /// pixels too far at 192 wide, gives no usable gradient, and from scratch the run either crawls
    /// (abs_rel 0.475 -> 0.345 in 12 epochs, and a change of summation order in one kernel gave 0.476)
    /// or collapses to the nearest depth (lr 1e-3, seed 2: no learning at all). With min_depth 0.5
    /// the starting depth is 1 (5.4 m), the stereo warp is close from the first step, and the scale
    /// and structure are learned within a few epochs (seed 2: 0.227 after 5 epochs).
    static let minDepth = 0.5

    func trainingOptions(world: URL) -> MonodepthOptions {
        var o = MonodepthOptions()
        o.dataPath = world.path
        o.split = .synthetic
        o.logDir = out.appendingPathComponent("logs").path
        o.modelName = "quickstart"
        o.height = 64
        o.width = 192
        o.batchSize = 6
        o.numEpochs = epochs
        o.schedulerStepSize = max(epochs, 1)  // no decay within the short run
        o.learningRate = 5e-4
        o.minDepth = Self.minDepth
        o.useStereo = true
        o.frameIDs = [0, -1, 1]
        o.weightsInit = .scratch
        o.numWorkers = 2
        o.logFrequency = 20
        o.seed = 1
        return o
    }

    func run() throws {
        let start = Progress.monotonicSeconds()
        let world = try prepareWorld()
        let options = trainingOptions(world: world)
        let models = URL(fileURLWithPath: options.logDir).appendingPathComponent(options.modelName).appendingPathComponent("models")
        try? FileManager.default.removeItem(at: models.deletingLastPathComponent())

        say("-> Training \(options.width)x\(options.height), batch \(options.batchSize), \(options.numEpochs) epochs, mono+stereo from scratch")
        let trainer = try Trainer(options: options)
        let untrained = models.appendingPathComponent("untrained")
        try WeightsFolder.write(trainer.engine.models, networks: [.encoder, .depth],
                                metadata: EncoderMetadata(height: options.height, width: options.width, useStereo: true),
                                optimizer: nil, to: untrained)
        try trainer.train()
        let trained = models.appendingPathComponent("weights_\(options.numEpochs - 1)")

        say("-> Evaluating on the synthetic test split (\(WorldLayout(root: world).testList.path))")
        let before = try evaluate(weights: untrained, world: world)
        let after = try evaluate(weights: trained, world: world)
        say("")
        say("   Mono evaluation with median scaling, the original's metrics:")
        say(String(repeating: " ", count: 11) + before.header)
        say("untrained  " + before.row)
        say("trained    " + after.row)
        say("")
        say(String(format: "   abs_rel %.3f -> %.3f", before.absRel, after.absRel))

        let picture = try disparityPicture(weights: trained, world: world)
        say("-> Wrote the predicted disparity of a held-out test frame to \(picture.path)")
        say(String(format: "-> Done in %.1f minutes. Weights, opt.json and TensorBoard logs: %@",
                   (Progress.monotonicSeconds() - start) / 60, models.deletingLastPathComponent().path))
    }

    /// The cached world, generated with its ground truth on first use.
    func prepareWorld() throws -> URL {
        let root = out.appendingPathComponent("world")
        let layout = WorldLayout(root: root)
        if SyntheticWorld.isGenerated(config: Self.world, at: root),
           FileManager.default.fileExists(atPath: layout.groundTruth.path) {
            say("-> Using the synthetic world in \(root.path)")
            return root
        }
        say("-> Generating the synthetic world (first use; cached in \(root.path))")
        let bars = ProgressBars()
        _ = try SyntheticWorld.generate(config: Self.world, to: root) { done, total in bars.update("rendering", done, total) }
        var export = GroundTruthExportRun(dataPath: root, split: .eigen) { _ in }
        export.splitFile = layout.testList
        export.outputFile = layout.groundTruth
        export.progress = { done, total in bars.update("ground truth", done, total) }
        try export.run()
        return root
    }

    /// evaluate --eval_mono --eval_split synthetic on a weights folder; the table's two lines.
    func evaluate(weights: URL, world: URL) throws -> (header: String, row: String, absRel: Double) {
        var shared = MonodepthOptions()
        shared.dataPath = world.path
        shared.evalSplit = .synthetic
        shared.evalMono = true
        shared.loadWeightsFolder = weights.path
        shared.minDepth = Self.minDepth  // disparity → depth as in training (evaluate_depth.py uses opt.min_depth)
        let lines = LockedText()
        var run = EvaluationRun(options: EvaluationOptions(shared)) { lines.append($0) }
        run.depthPredictor = NetworkDisparityPredictor()
        let bars = ProgressBars()
        run.progress = { label, done, total in bars.update(label, done, total) }
        try run.run()
        let text = lines.text.split(separator: "\n").map(String.init)
        guard let header = text.first(where: { $0.contains("abs_rel") }),
              let row = text.first(where: { $0.hasPrefix("&") }),
              let absRel = row.split(whereSeparator: { $0 == "&" || $0 == " " }).first.flatMap({ Double($0) }) else {
            throw ToolFailure("evaluate printed no metric table:\n" + lines.text)
        }
        return (header, row, absRel)
    }

    /// The first test frame's disparity as a magma picture (as `demo` writes it), beside a copy of the frame.
    func disparityPicture(weights: URL, world: URL) throws -> URL {
        let lines = try SplitFile.lines(of: WorldLayout(root: world).testList)
        guard let first = lines.first?.text.split(separator: " "), first.count >= 2, let frame = Int(first[1]) else {
            throw ToolFailure("the synthetic test split is empty")
        }
        let image = world.appendingPathComponent(String(first[0])).appendingPathComponent(
            "image_02/data/" + KITTILayout.padded(frame, 10) + ".jpg")
        let models = MonodepthModels(configuration: .depth(), initialisation: .placeholder)
        guard let metadata = try WeightsFolder(weights).load(into: models) else {
            throw ToolFailure("\(weights.path)/encoder.pth has no height/width")
        }
        let predictor = DepthInference(encoder: models.encoder, decoder: models.depth)
        let picture = try ImageTensor.readRGB(image)
        let input = ImageTensor.batch([picture.resized(width: metadata.width, height: metadata.height, filter: .lanczos)])
        let disparity = resizeBilinear(predictor(input).disparity(scale: 0), height: picture.height, width: picture.width)
        let colored = Colormap.magma.colorizeDisparity(FloatMap(width: picture.width, height: picture.height, values: disparity.scalars()))
        let target = out.appendingPathComponent("test_frame_disp.jpeg")
        try JPEG.write(colored, to: target, quality: 90, subsampling: .s420)
        let copy = out.appendingPathComponent("test_frame.jpg")
        try? FileManager.default.removeItem(at: copy)
        try FileManager.default.copyItem(at: image, to: copy)
        return target
    }
}

/// Text appended from any thread.
final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""
    func append(_ chunk: String) { lock.lock(); buffer += chunk; lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return buffer }
}
