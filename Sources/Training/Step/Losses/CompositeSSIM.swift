import TensorCore

/// layers.py `SSIM` as a composition of TensorCore ops: reflection-pad 1, 3×3 mean pools of x, y,
/// x², y², xy; returns clamp((1 − SSIM)/2, 0, 1) per pixel and channel, same shape as the inputs.
/// The reference for (and, until TensorCore's fused `ssim` lands, the implementation of) the
/// photometric term.
public func compositeSSIM(_ x: Tensor, _ y: Tensor) -> Tensor {
    precondition(x.shape == y.shape && x.rank == 4, "compositeSSIM: shapes \(x.shape) and \(y.shape)")
    let c1: Float = 0.01 * 0.01, c2: Float = 0.03 * 0.03
    let xp = reflectionPad2d(x, padding: 1), yp = reflectionPad2d(y, padding: 1)
    func pool(_ t: Tensor) -> Tensor { avgPool2d(t, kernel: 3, stride: 1) }
    let muX = pool(xp), muY = pool(yp)
    let sigmaX = pool(xp * xp) - muX * muX
    let sigmaY = pool(yp * yp) - muY * muY
    let sigmaXY = pool(xp * yp) - muX * muY
    let numerator = (2 * muX * muY + c1) * (2 * sigmaXY + c2)
    let denominator = (muX * muX + muY * muY + c1) * (sigmaX + sigmaY + c2)
    return ((1 - numerator / denominator) / 2).clamped(min: 0, max: 1)
}
