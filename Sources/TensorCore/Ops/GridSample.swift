// Bilinear grid sampling with border padding and align_corners=True (torch
// `F.grid_sample(padding_mode="border", align_corners=True)`). Gradients to the image and to the grid; the grid gradient is zero
// in a coordinate whose border clamp is active. Kernels in Kernels/GridSample.swift.

/// Samples image (N,C,H,W) at grid (N,Ho,Wo,2) of (x, y) ∈ [−1,1] (−1 = centre of the first
/// pixel, +1 = centre of the last) → (N,C,Ho,Wo). Out-of-range coordinates clamp to the border.
public func gridSample(_ image: Tensor, grid: Tensor) -> Tensor {
    precondition(image.rank == 4 && grid.rank == 4 && grid.shape[3] == 2 && grid.shape[0] == image.shape[0]
                 && image.dtype == .float32 && grid.dtype == .float32,
                 "gridSample: image \(image.shape) and grid \(grid.shape) (need (N,C,H,W) and (N,Ho,Wo,2))")
    precondition(image.shape[2] > 0 && image.shape[3] > 0, "gridSample: empty image \(image.shape)")
    let y = image.backend.gridSample(image.detached(), grid: grid.detached())
    guard let tape = Tape.active(image, grid) else { return y }
    let xs = image.detached(), gs = grid.detached()
    return tape.record("grid_sample", y, [image, grid]) { g, need in
        let (gi, gg) = g.backend.gridSampleBackward(xs, grid: gs, gradOutput: g, needInput: need[0], needGrid: need[1])
        return [gi, gg]
    }
}
