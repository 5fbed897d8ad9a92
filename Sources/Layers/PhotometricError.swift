import TensorCore

/// The per-pixel photometric error of trainer.py `compute_reprojection_loss` as one fused op:
/// prediction and target (N,C,H,W) → (N,1,H,W) =
/// ssimWeight · mean_c ssim(prediction, target) + (1 − ssimWeight) · mean_c |target − prediction|,
/// ssimWeight 0.85, or 0 for the L1 term alone (`--no_ssim`). Only the two inputs are kept for the
/// backward (no per-channel SSIM map, difference or absolute value).
public func photometricError(_ prediction: Tensor, _ target: Tensor, ssimWeight: Float = 0.85) -> Tensor {
    let x = prediction, y = target
    precondition(x.rank == 4 && x.shape == y.shape && x.dtype == .float32 && y.dtype == .float32,
                 "photometricError: inputs \(x.dtype) \(x.shape) and \(y.dtype) \(y.shape) (need two float32 (N,C,H,W) of one shape)")
    precondition(ssimWeight == 0 || (x.shape[2] >= 2 && x.shape[3] >= 2),
                 "photometricError: planes of \(x.shape[2])x\(x.shape[3]) (SSIM's reflection padding needs ≥ 2x2)")
    precondition(x.backend === y.backend, "photometricError: inputs on backends \(x.backend.name) and \(y.backend.name)")
    let out = x.photometricBackend.photometricError(x.detached(), y.detached(), ssimWeight: ssimWeight)
    let xs = x.detached(), ys = y.detached()
    return Tensor.differentiable("photometric_error", output: out, inputs: [x, y]) { g, need in
        let (gx, gy) = g.photometricBackend.photometricErrorBackward(xs, ys, ssimWeight: ssimWeight, gradOutput: g,
                                                                     needX: need[0], needY: need[1])
        return [gx, gy]
    }
}
