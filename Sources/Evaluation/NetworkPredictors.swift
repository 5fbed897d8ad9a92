import Foundation
import ImageIO
import KITTIData
import Kernels
import Layers
import Networks
import TensorCore

/// The model branch of `evaluate_depth.py evaluate` on our networks: ResnetEncoder +
/// DepthDecoder from a Monodepth2 weights folder, evaluation mode, fused inference (no autodiff),
/// images read as `.jpg`, LANCZOS-resized to the size stored in encoder.pth, batches of 16.
public struct NetworkDisparityPredictor: DisparityPredictor {
    static let batchSize = 16
    private var inference: DepthInference?
    private var size = (width: 0, height: 0)

    public init() {}

    public mutating func load(weightsFolder: URL, numLayers: Int) throws -> (width: Int, height: Int) {
        guard let depth = ResNetDepth(rawValue: numLayers) else {
            throw EvaluationError.invalidOptions("--num_layers \(numLayers): must be one of 18, 34, 50, 101, 152")
        }
        let folder = WeightsFolder(weightsFolder)
        let models = MonodepthModels(configuration: .depth(depth), initialisation: .placeholder)
        guard let metadata = try folder.load(into: models) else {
            throw EvaluationError.malformedFile(path: folder.fileURL(.encoder).path,
                                                problem: "has no 'height' and 'width' entries (the size the model was trained at)")
        }
        guard metadata.height > 0, metadata.width > 0, metadata.height % 32 == 0, metadata.width % 32 == 0 else {
            throw EvaluationError.malformedFile(path: folder.fileURL(.encoder).path,
                                                problem: "trained size \(metadata.width)x\(metadata.height) is not a positive multiple of 32")
        }
        models.eval()
        inference = DepthInference(encoder: models.encoder, decoder: models.depth)
        size = (metadata.width, metadata.height)
        return size
    }

    public func predictDisparities(entries: [SplitEntry], dataPath: URL, postProcess: Bool,
                                   minDepth: Double, maxDepth: Double,
                                   progress: (@Sendable (Int, Int) -> Void)?) throws -> Disparities {
        guard let inference else { throw EvaluationError.unavailable("the depth model is not loaded") }
        let (width, height) = size
        let plane = width * height
        var left = [Float](repeating: 0, count: entries.count * plane)
        var right = postProcess ? [Float](repeating: 0, count: entries.count * plane) : []
        var start = 0
        progress?(0, entries.count)
        while start < entries.count {
            let batch = Array(entries[start..<min(start + Self.batchSize, entries.count)])
            let images = try Self.readImages(batch, dataPath: dataPath, width: width, height: height)
            let input = postProcess
                ? concat([ImageTensor.batch(images), ImageTensor.batch(images, flipped: true)], axis: 0)
                : ImageTensor.batch(images)
            let disparity = inference(input).disparity(scale: 0)
            let scaled = dispToDepth(disparity, minDepth: minDepth, maxDepth: maxDepth).scaledDisparity.scalars()
            let count = batch.count * plane
            left.replaceSubrange(start * plane..<(start * plane + count), with: scaled[0..<count])
            if postProcess {
                // The flipped half, flipped back (`pred_disp[N:, :, ::-1]`).
                for image in 0..<batch.count {
                    for y in 0..<height {
                        let source = count + image * plane + y * width
                        let destination = (start + image) * plane + y * width
                        for x in 0..<width { right[destination + x] = scaled[source + width - 1 - x] }
                    }
                }
            }
            start += batch.count
            progress?(start, entries.count)
        }
        let leftStack = MapStack(count: entries.count, height: height, width: width, values: left)
        guard postProcess else { return .float32(leftStack) }
        let rightStack = MapStack(count: entries.count, height: height, width: width, values: right)
        return .float64(PostProcess.blend(left: leftStack, right: rightStack))
    }

    /// Decodes and resizes a batch of images on all cores.
    static func readImages(_ entries: [SplitEntry], dataPath: URL, width: Int, height: Int) throws -> [Image] {
        let urls = try entries.map { entry -> URL in
            guard let camera = entry.camera else {
                throw EvaluationError.malformedSplitLine(file: "split list", line: entry.line, text: entry.folder,
                                                         reason: "no camera side (l, r, 2 or 3)")
            }
            return KITTILayout.rawImage(dataPath: dataPath, folder: entry.folder, frame: entry.frameIndex, camera: camera)
        }
        return try loadImages(urls, width: width, height: height)
    }
}

/// `evaluate_pose.py evaluate`: pose encoder (2 input images) + PoseDecoder(num_ch_enc, 1, 2)
/// on frames (i, i+1) of a KITTI odometry sequence, resized to --height x --width.
public struct NetworkPosePredictor: PosePredictor {
    private var encoder: EncoderInference?
    private var decoder: PoseDecoder?

    public init() {}

    public mutating func load(weightsFolder: URL, numLayers: Int) throws {
        guard let depth = ResNetDepth(rawValue: numLayers) else {
            throw EvaluationError.invalidOptions("--num_layers \(numLayers): must be one of 18, 34, 50, 101, 152")
        }
        let models = MonodepthModels(configuration: ModelSetConfiguration(resnetDepth: depth, pose: .separatePairs),
                                         initialisation: .placeholder)
        try WeightsFolder(weightsFolder).load(into: models, networks: [.poseEncoder, .pose])
        guard let poseEncoder = models.poseEncoder, case .decoder(let poseDecoder)? = models.pose else {
            throw EvaluationError.unavailable("the pose model set has no separate pose encoder and decoder")
        }
        models.eval()
        encoder = EncoderInference(poseEncoder)
        decoder = poseDecoder
    }

    public func predictPoses(entries: [SplitEntry], dataPath: URL, height: Int, width: Int, batchSize: Int,
                             progress: (@Sendable (Int, Int) -> Void)?) throws -> [Matrix4] {
        guard let encoder, let decoder else { throw EvaluationError.unavailable("the pose model is not loaded") }
        var poses: [Matrix4] = []
        var start = 0
        let step = max(1, batchSize)
        progress?(0, entries.count)
        while start < entries.count {
            let batch = Array(entries[start..<min(start + step, entries.count)])
            var urls: [URL] = []
            for entry in batch {
                guard let sequence = Int(entry.folder), let camera = entry.camera else {
                    throw EvaluationError.malformedSplitLine(file: "odometry split", line: entry.line, text: entry.folder,
                                                             reason: "expected '<sequence> <frame> <side>'")
                }
                for offset in 0...1 {
                    urls.append(KITTILayout.odometryImage(dataPath: dataPath, sequence: sequence,
                                                         frame: entry.frameIndex + offset, camera: camera))
                }
            }
            let images = try loadImages(urls, width: width, height: height)
            let firsts = stride(from: 0, to: images.count, by: 2).map { images[$0] }
            let seconds = stride(from: 1, to: images.count, by: 2).map { images[$0] }
            let input = concat([ImageTensor.batch(firsts), ImageTensor.batch(seconds)], axis: 1)
            let features = encoder(input)
            let outputs = decoder([[features[features.count - 1]]])
            let count = batch.count
            let transform = transformationFromParameters(
                axisangle: outputs.axisangle.narrowed(1, start: 0, length: 1).reshaped([count, 1, 3]),
                translation: outputs.translation.narrowed(1, start: 0, length: 1).reshaped([count, 1, 3]))
            let values = transform.contiguous().scalars()
            for index in 0..<count {
                poses.append((0..<16).map { Double(values[index * 16 + $0]) })
            }
            start += count
            progress?(start, entries.count)
        }
        return poses
    }
}

/// Reads and LANCZOS-resizes images concurrently; the first failure (in list order) is thrown.
func loadImages(_ urls: [URL], width: Int, height: Int) throws -> [Image] {
    do throws(ImageLoadError) {
        return try Parallel.map(urls.count, on: .dispatch) { (index) throws(ImageLoadError) in
            try ImageTensor.readResized(urls[index], width: width, height: height)
        }
    } catch {
        throw EvaluationError.unreadableImage(error.description)
    }
}
