import Layers
import TensorCore

/// The per-pixel photometric error of a prediction against the target (trainer.py
/// `compute_reprojection_loss`): 0.85 · mean_c(SSIM term) + 0.15 · mean_c(|target − pred|), or the
/// L1 term alone without SSIM. (B, 3, H, W) each → (B, 1, H, W). TensorCore's fused op: one pass,
/// only the two images kept for the backward.
public func reprojectionLoss(_ prediction: Tensor, _ target: Tensor, useSSIM: Bool) -> Tensor {
    precondition(prediction.shape == target.shape, "reprojectionLoss: prediction \(prediction.shape), target \(target.shape)")
    return photometricError(prediction, target, ssimWeight: useSSIM ? 0.85 : 0)
}

