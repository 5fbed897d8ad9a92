// Monodepth2's SSIM loss (layers.SSIM, MONODEPTH2.md §3) as one fused op: the five 3×3 moment
// maps, the SSIM formula and the clamp in one pass, and a fused backward that recomputes the
// moments from the two inputs (the only tensors it keeps). Kernels in Kernels/SSIM.swift.

/// clamp((1 − SSIM(x, y))/2, 0, 1) per pixel and channel, the same shape as x and y (N,C,H,W;
/// H, W ≥ 2): ReflectionPad2d(1), then 3×3 means of x, y, x², y², xy; C1 = 0.01², C2 = 0.03².
/// The clamp passes the gradient where 0 ≤ (1 − SSIM)/2 ≤ 1, as torch.clamp.
public func ssim(_ x: Tensor, _ y: Tensor) -> Tensor {
    precondition(x.rank == 4 && x.shape == y.shape && x.dtype == .float32 && y.dtype == .float32,
                 "ssim: inputs \(x.dtype) \(x.shape) and \(y.dtype) \(y.shape) (need two float32 (N,C,H,W) of one shape)")
    precondition(x.shape[2] >= 2 && x.shape[3] >= 2, "ssim: planes of \(x.shape[2])x\(x.shape[3]) (reflection padding needs ≥ 2x2)")
    precondition(x.backend === y.backend, "ssim: inputs on backends \(x.backend.name) and \(y.backend.name)")
    let out = x.backend.ssim(x.detached(), y.detached())
    guard let tape = Tape.active(x, y) else { return out }
    let xs = x.detached(), ys = y.detached()
    return tape.record("ssim", out, [x, y]) { g, need in
        let (gx, gy) = g.backend.ssimBackward(xs, ys, gradOutput: g, needX: need[0], needY: need[1])
        return [gx, gy]
    }
}

/// Monodepth2's per-pixel photometric error (trainer.py `compute_reprojection_loss`) as one fused
/// op: prediction and target (N,C,H,W) → (N,1,H,W) =
/// ssimWeight · mean_c ssim(prediction, target) + (1 − ssimWeight) · mean_c |target − prediction|,
/// ssimWeight 0.85, or 0 for the L1 term alone (--no_ssim). Only the two inputs are kept for the
/// backward (no per-channel SSIM map, difference or absolute value).
public func photometricError(_ prediction: Tensor, _ target: Tensor, ssimWeight: Float = 0.85) -> Tensor {
    let x = prediction, y = target
    precondition(x.rank == 4 && x.shape == y.shape && x.dtype == .float32 && y.dtype == .float32,
                 "photometricError: inputs \(x.dtype) \(x.shape) and \(y.dtype) \(y.shape) (need two float32 (N,C,H,W) of one shape)")
    precondition(ssimWeight == 0 || (x.shape[2] >= 2 && x.shape[3] >= 2),
                 "photometricError: planes of \(x.shape[2])x\(x.shape[3]) (SSIM's reflection padding needs ≥ 2x2)")
    precondition(x.backend === y.backend, "photometricError: inputs on backends \(x.backend.name) and \(y.backend.name)")
    let out = x.backend.photometricError(x.detached(), y.detached(), ssimWeight: ssimWeight)
    guard let tape = Tape.active(x, y) else { return out }
    let xs = x.detached(), ys = y.detached()
    return tape.record("photometric_error", out, [x, y]) { g, need in
        let (gx, gy) = g.backend.photometricErrorBackward(xs, ys, ssimWeight: ssimWeight, gradOutput: g,
                                                          needX: need[0], needY: need[1])
        return [gx, gy]
    }
}
