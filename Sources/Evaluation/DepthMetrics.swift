/// The seven depth metrics of `compute_errors` (evaluate_depth.py), in print order.
public struct DepthMetrics: Sendable, Equatable {
    public var absRel: Double
    public var sqRel: Double
    public var rmse: Double
    public var rmseLog: Double
    public var a1: Double
    public var a2: Double
    public var a3: Double

    public init(absRel: Double, sqRel: Double, rmse: Double, rmseLog: Double, a1: Double, a2: Double, a3: Double) {
        self.absRel = absRel; self.sqRel = sqRel; self.rmse = rmse; self.rmseLog = rmseLog
        self.a1 = a1; self.a2 = a2; self.a3 = a3
    }

    /// The metric names as the original prints them.
    public static let names = ["abs_rel", "sq_rel", "rmse", "rmse_log", "a1", "a2", "a3"]

    /// Values in print order.
    public var values: [Double] { [absRel, sqRel, rmse, rmseLog, a1, a2, a3] }

    init(values v: [Double]) {
        self.init(absRel: v[0], sqRel: v[1], rmse: v[2], rmseLog: v[3], a1: v[4], a2: v[5], a3: v[6])
    }

    /// `np.array(errors).mean(0)`: the per-image metrics (float64) summed image by image in
    /// order (a reduction along the slow axis is not pairwise), divided by the image count.
    public static func mean(of perImage: [DepthMetrics]) -> DepthMetrics {
        guard !perImage.isEmpty else { return DepthMetrics(values: Array(repeating: .nan, count: 7)) }
        var sums = [Double](repeating: 0, count: 7)
        for metrics in perImage {
            let values = metrics.values
            for index in 0..<7 { sums[index] += values[index] }
        }
        return DepthMetrics(values: sums.map { $0 / Double(perImage.count) })
    }

    /// `compute_errors(gt, pred)` on the masked, scaled and clipped pixels, in the prediction's
    /// type `T` exactly as NumPy evaluates it (float32 arrays stay float32; the threshold
    /// accuracies are float64 means of booleans). `scratch` must hold `4 * count` elements.
    static func compute<T: NumpyFloat>(groundTruth gt: UnsafePointer<Float>, prediction pred: UnsafePointer<T>,
                                       count: Int, scratch: UnsafeMutablePointer<T>) -> DepthMetrics {
        guard count > 0 else { return DepthMetrics(values: Array(repeating: .nan, count: 7)) }
        let squared = scratch, logSquared = scratch + count, absRelative = scratch + 2 * count
        let squaredRelative = scratch + 3 * count
        var below1 = 0, below2 = 0, below3 = 0
        for index in 0..<count {
            let g = T(gt[index]), p = pred[index]
            // thresh = np.maximum(gt / pred, pred / gt) (NaN propagates and fails every test)
            let ratioA = g / p, ratioB = p / g
            let thresh = ratioA.isNaN || ratioB.isNaN ? T.nan : max(ratioA, ratioB)
            if thresh < 1.25 { below1 += 1 }
            if thresh < 1.5625 { below2 += 1 }
            if thresh < 1.953125 { below3 += 1 }
            let difference = g - p
            let square = difference * difference
            squared[index] = square
            let logDifference = T.logarithmOfGroundTruth(gt[index]) - T.logarithm(p)
            logSquared[index] = logDifference * logDifference
            absRelative[index] = difference.magnitude / g
            squaredRelative[index] = square / g
        }
        let n = Double(count)
        return DepthMetrics(
            absRel: Double(NumpyReductions.mean(absRelative, count)),
            sqRel: Double(NumpyReductions.mean(squaredRelative, count)),
            rmse: Double(NumpyReductions.mean(squared, count).squareRoot()),
            rmseLog: Double(NumpyReductions.mean(logSquared, count).squareRoot()),
            a1: Double(below1) / n, a2: Double(below2) / n, a3: Double(below3) / n)
    }
}
