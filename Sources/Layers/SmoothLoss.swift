import TensorCore

/// layers.py `get_smooth_loss(disp, img)`: mean |∂x d|·exp(−mean_c |∂x I|) + mean |∂y d|·exp(−mean_c |∂y I|),
/// neighbour differences of the disparity d (B, 1, H, W) weighted by the image's (B, 3, H, W) edges.
public func smoothnessLoss(disparity d: Tensor, image: Tensor) -> Tensor {
    let h = d.shape[2], w = d.shape[3]
    precondition(d.rank == 4 && image.rank == 4 && image.shape[2] == h && image.shape[3] == w && h > 1 && w > 1,
                 "smoothnessLoss: disparity \(d.shape), image \(image.shape)")
    func dx(_ t: Tensor) -> Tensor { (t.narrowed(3, start: 0, length: w - 1) - t.narrowed(3, start: 1, length: w - 1)).abs() }
    func dy(_ t: Tensor) -> Tensor { (t.narrowed(2, start: 0, length: h - 1) - t.narrowed(2, start: 1, length: h - 1)).abs() }
    let weightX = (-dx(image).mean(axes: [1], keepingDimensions: true)).exp()
    let weightY = (-dy(image).mean(axes: [1], keepingDimensions: true)).exp()
    return (dx(d) * weightX).mean() + (dy(d) * weightY).mean()
}
