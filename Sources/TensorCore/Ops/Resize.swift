// Nearest upsampling by an integer factor (the depth decoder's `upsample`) and bilinear resizing
// with align_corners=False (F.interpolate(mode="bilinear"), up or down, any ratio; no antialias).
// Kernels in Kernels/Resize.swift.

/// Nearest-neighbour upsampling of (N,C,H,W) by `factor` → (N,C,H·factor,W·factor).
public func upsampleNearest2d(_ x: Tensor, factor: Int = 2) -> Tensor {
    precondition(x.rank == 4 && x.dtype == .float32 && factor >= 1,
                 "upsampleNearest2d: input \(x.dtype) \(x.shape), factor \(factor)")
    let y = x.backend.upsampleNearest2d(x.detached(), factor: factor)
    guard let tape = Tape.active(x) else { return y }
    let inShape = x.shape
    return tape.record("upsample_nearest2d", y, [x]) { g, _ in
        [g.backend.upsampleNearest2dBackward(gradOutput: g, factor: factor, inputShape: inShape)]
    }
}

/// Bilinear resize of (N,C,H,W) to (N,C,height,width), PyTorch align_corners=False semantics:
/// source = (dst + 0.5)·(in/out) − 0.5, clamped at 0.
public func resizeBilinear(_ x: Tensor, height: Int, width: Int) -> Tensor {
    precondition(x.rank == 4 && x.dtype == .float32 && height > 0 && width > 0 && x.shape[2] > 0 && x.shape[3] > 0,
                 "resizeBilinear: input \(x.dtype) \(x.shape) to \(height)x\(width)")
    let y = x.backend.resizeBilinear(x.detached(), height: height, width: width)
    guard let tape = Tape.active(x) else { return y }
    let inShape = x.shape
    return tape.record("resize_bilinear", y, [x]) { g, _ in
        [g.backend.resizeBilinearBackward(gradOutput: g, inputShape: inShape)]
    }
}
