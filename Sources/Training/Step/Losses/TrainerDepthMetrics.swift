import Foundation
import Layers
import TensorCore

/// trainer.py's `compute_depth_losses`: a rough, batch-level indication of depth
/// accuracy logged next to the losses when the batch holds `depth_gt`. The predicted depth is resized
/// (bilinear, align_corners=False) to KITTI's 375×1242, clamped to [1e-3, 80]; the pixels with ground
/// truth inside the Garg/Eigen crop are pooled over the whole batch; the prediction is median-scaled
/// (torch.median: the lower middle value) and clamped again; then `compute_depth_errors`.
public enum TrainerDepthMetrics {
    /// The logged names, in the original's order.
    public static let names = ["de/abs_rel", "de/sq_rel", "de/rms", "de/log_rms", "da/a1", "da/a2", "da/a3"]

    /// The full-resolution size and the crop (rows 153..<371, columns 44..<1197).
    static let height = 375, width = 1242
    static let rows = 153..<371, columns = 44..<1197

    /// - Parameters:
    ///   - depth: `("depth", 0, 0)`, (B, 1, h, w).
    ///   - groundTruth: `depth_gt`, (B, 1, 375, 1242), 0 where there is no measurement.
    /// - Returns: the seven metrics, or nil when no pixel has ground truth inside the crop.
    public static func compute(depth: Tensor, groundTruth: Tensor) -> [(name: String, value: Float)]? {
        precondition(depth.rank == 4 && depth.shape[1] == 1 && groundTruth.shape == [depth.shape[0], 1, height, width],
                     "TrainerDepthMetrics: depth \(depth.shape), depth_gt \(groundTruth.shape)")
        let resized = resizeBilinear(depth.detached(), height: height, width: width).scalars()
        let truth = groundTruth.scalars()
        var gt: [Float] = []
        var pred: [Float] = []
        for b in 0..<depth.shape[0] {
            for y in rows {
                let row = (b * height + y) * width
                for x in columns where truth[row + x] > 0 {
                    gt.append(truth[row + x])
                    pred.append(min(max(resized[row + x], 1e-3), 80))
                }
            }
        }
        guard !gt.isEmpty else { return nil }
        let ratio = lowerMedian(gt) / lowerMedian(pred)
        for i in pred.indices { pred[i] = min(max(pred[i] * ratio, 1e-3), 80) }
        return zip(names, depthErrors(groundTruth: gt, prediction: pred)).map { ($0, $1) }
    }

    /// torch.median of a 1-D tensor: the lower of the two middle values for an even count.
    static func lowerMedian(_ values: [Float]) -> Float {
        var sorted = values
        let k = (sorted.count - 1) / 2
        // Partial selection would do; the pooled pixels of one batch are few enough to sort.
        sorted.sort()
        return sorted[k]
    }
}
