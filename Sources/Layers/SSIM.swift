import TensorCore

// layers.py `SSIM` as one fused op: the five 3×3 moment maps, the SSIM formula and the clamp in one
// pass, and a fused backward that recomputes the moments from the two inputs (the only tensors it
// keeps). Kernels in Kernels/SSIM.swift, reached through `PhotometricBackend`.

/// layers.py `SSIM()(x, y)`: clamp((1 − SSIM(x, y))/2, 0, 1) per pixel and channel, the same shape
/// as x and y (N,C,H,W; H, W ≥ 2): ReflectionPad2d(1), then 3×3 means of x, y, x², y², xy;
/// C1 = 0.01², C2 = 0.03². The clamp passes the gradient where 0 ≤ (1 − SSIM)/2 ≤ 1, as torch.clamp.
public func ssim(_ x: Tensor, _ y: Tensor) -> Tensor {
    precondition(x.rank == 4 && x.shape == y.shape && x.dtype == .float32 && y.dtype == .float32,
                 "ssim: inputs \(x.dtype) \(x.shape) and \(y.dtype) \(y.shape) (need two float32 (N,C,H,W) of one shape)")
    precondition(x.shape[2] >= 2 && x.shape[3] >= 2, "ssim: planes of \(x.shape[2])x\(x.shape[3]) (reflection padding needs ≥ 2x2)")
    precondition(x.backend === y.backend, "ssim: inputs on backends \(x.backend.name) and \(y.backend.name)")
    let out = x.photometricBackend.ssim(x.detached(), y.detached())
    let xs = x.detached(), ys = y.detached()
    return Tensor.differentiable("ssim", output: out, inputs: [x, y]) { g, need in
        let (gx, gy) = g.photometricBackend.ssimBackward(xs, ys, gradOutput: g, needX: need[0], needY: need[1])
        return [gx, gy]
    }
}
