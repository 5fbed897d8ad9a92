import Foundation
import ImageIO
import KITTIData
import Kernels
import Options

/// The `--eval_split` values of evaluate (`options.py MonodepthOptions`; read by `evaluate_depth.py
/// evaluate` and `evaluate_pose.py evaluate`): the shared options' enum.
public typealias EvaluationSplit = EvalSplit

/// Per-image depth evaluation as `evaluate_depth.py evaluate` runs it, from reading `gt_depths.npz`
/// to the mean of `compute_errors` over the images.
public struct DepthEvaluator: Sendable {
    /// MIN_DEPTH, MAX_DEPTH and STEREO_SCALE_FACTOR of evaluate_depth.py.
    public static let minDepth = 1e-3
    public static let maxDepth = 80.0
    public static let stereoScaleFactor = 5.4

    /// Eigen crop and the (1e-3, 80) range on the ground truth (eval_split eigen, and synthetic, whose
    /// ground truth is projected lidar like eigen's); otherwise every pixel with gt > 0.
    public var eigenCrop: Bool
    /// `pred_depth_scale_factor` (5.4 for stereo evaluation).
    public var scaleFactor: Double
    /// Per-image median scaling (mono evaluation without `--disable_median_scaling`).
    public var medianScaling: Bool

    public init(eigenCrop: Bool, scaleFactor: Double, medianScaling: Bool) {
        self.eigenCrop = eigenCrop
        self.scaleFactor = scaleFactor
        self.medianScaling = medianScaling
    }

    /// The eigen crop of a `height x width` map: rows `top..<bottom`, columns `left..<right`
    /// (float64 products truncated to int32, e.g. 375x1242 -> 153, 371, 44, 1197).
    public static func eigenCropBox(height: Int, width: Int) -> (top: Int, bottom: Int, left: Int, right: Int) {
        let h = Double(height), w = Double(width)
        return (Int(0.40810811 * h), Int(0.99189189 * h), Int(0.03594771 * w), Int(0.96405229 * w))
    }

    /// Evaluates every prediction against its ground truth; `progress(done, total)` is called
    /// (serialised) after each image. Images are spread over the cores.
    public func evaluate(_ disparities: Disparities, groundTruth: [FloatMap], groundTruthFile: String = "gt_depths.npz",
                         progress: (@Sendable (Int, Int) -> Void)? = nil) throws(EvaluationError) -> DepthEvaluationResult {
        guard disparities.count == groundTruth.count else {
            throw .countMismatch(path: groundTruthFile, what: "ground-truth maps for \(disparities.count) predictions",
                                 expected: disparities.count, found: groundTruth.count)
        }
        switch disparities {
        case .float32(let stack): return evaluate(stack, groundTruth: groundTruth, progress: progress)
        case .float64(let stack): return evaluate(stack, groundTruth: groundTruth, progress: progress)
        }
    }

    func evaluate<T: NumpyFloat>(_ stack: MapStack<T>, groundTruth: [FloatMap],
                                 progress: (@Sendable (Int, Int) -> Void)?) -> DepthEvaluationResult {
        let count = stack.count
        guard count > 0 else { return DepthEvaluationResult(perImage: [], mean: DepthMetrics.mean(of: [])) }
        let perImage = Parallel.map(count, on: .dispatch, progress: progress) { index in
            stack.values.withUnsafeBufferPointer { disparity in
                evaluateImage(disparity.baseAddress! + index * stack.planeSize, width: stack.width, height: stack.height,
                              groundTruth: groundTruth[index])
            }
        }
        let metrics = perImage.map(\.0)
        let ratios = perImage.map(\.1)
        var result = DepthEvaluationResult(perImage: metrics, mean: DepthMetrics.mean(of: metrics))
        if medianScaling {
            var sorted = ratios
            let median = NumpyReductions.median(&sorted)
            result.ratios = ratios.map(Double.init)
            result.ratioMedian = Double(median)
            result.ratioStandardDeviation = Double(NumpyReductions.standardDeviation(ratios.map { $0 / median }))
        }
        return result
    }

    /// `gt[mask]` and `(1 / disparity)[mask]` in row-major order: the eigen crop with
    /// 1e-3 < gt < 80 (float32 comparisons, as NumPy does with a float32 array), else gt > 0.
    func maskedPixels<T: NumpyFloat>(_ groundTruth: FloatMap, depthFromDisparity disparity: [T]) -> ([Float], [T]) {
        let gh = groundTruth.height, gw = groundTruth.width
        var gtMasked = [Float](), predMasked = [T]()
        gtMasked.reserveCapacity(gh * gw / 8)
        predMasked.reserveCapacity(gh * gw / 8)
        let box = eigenCrop ? Self.eigenCropBox(height: gh, width: gw) : (0, gh, 0, gw)
        let minDepth = Float(Self.minDepth), maxDepth = Float(Self.maxDepth)
        groundTruth.values.withUnsafeBufferPointer { gt in
            disparity.withUnsafeBufferPointer { disparity in
                for y in max(box.0, 0)..<min(box.1, gh) {
                    for x in max(box.2, 0)..<min(box.3, gw) {
                        let g = gt[y * gw + x]
                        if eigenCrop ? (g > minDepth && g < maxDepth) : g > 0 {
                            gtMasked.append(g)
                            predMasked.append(1 / disparity[y * gw + x])
                        }
                    }
                }
            }
        }
        return (gtMasked, predMasked)
    }

    /// One image: resize the disparity to the ground truth, invert, mask, scale, clip, metrics.
    /// Returns the metrics and the median-scaling ratio (0 when not median scaling).
    func evaluateImage<T: NumpyFloat>(_ disparity: UnsafePointer<T>, width: Int, height: Int,
                                      groundTruth: FloatMap) -> (DepthMetrics, T) {
        let gh = groundTruth.height, gw = groundTruth.width
        let plane = Array(UnsafeBufferPointer(start: disparity, count: width * height))
        let resized = T.linearResize(plane, width: width, height: height, toWidth: gw, toHeight: gh)
        var (gtMasked, predMasked) = maskedPixels(groundTruth, depthFromDisparity: resized)
        let factor = T(scaleFactor)
        for index in predMasked.indices { predMasked[index] *= factor }
        var ratio: T = 0
        if medianScaling {
            var gtScratch = gtMasked, predScratch = predMasked
            ratio = T(NumpyReductions.median(&gtScratch)) / NumpyReductions.median(&predScratch)
            for index in predMasked.indices { predMasked[index] *= ratio }
        }
        let low = T(Self.minDepth), high = T(Self.maxDepth)
        for index in predMasked.indices {
            if predMasked[index] < low { predMasked[index] = low }
            if predMasked[index] > high { predMasked[index] = high }
        }
        let n = predMasked.count
        guard n > 0 else { return (DepthMetrics(values: Array(repeating: .nan, count: 7)), ratio) }
        let scratch = UnsafeMutablePointer<T>.allocate(capacity: 4 * n)
        defer { scratch.deallocate() }
        let metrics = gtMasked.withUnsafeBufferPointer { gt in
            predMasked.withUnsafeBufferPointer { pred in
                DepthMetrics.compute(groundTruth: gt.baseAddress!, prediction: pred.baseAddress!, count: n, scratch: scratch)
            }
        }
        return (metrics, ratio)
    }
}

/// What `DepthEvaluator.evaluate` found.
public struct DepthEvaluationResult: Sendable {
    /// `compute_errors` of each image, in input order.
    public var perImage: [DepthMetrics]
    /// The mean over images (what the table prints).
    public var mean: DepthMetrics
    /// Median-scaling ratios per image (empty without median scaling).
    public var ratios: [Double] = []
    /// `np.median(ratios)` and `np.std(ratios / med)` in the prediction's type.
    public var ratioMedian: Double?
    public var ratioStandardDeviation: Double?

    public init(perImage: [DepthMetrics], mean: DepthMetrics) {
        self.perImage = perImage
        self.mean = mean
    }
}
