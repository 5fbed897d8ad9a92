import TensorCore

// layers.py's pose geometry: the pose decoder's (axisangle, translation) → 4×4 camera transforms.
// Compositions of TensorCore ops, so gradients flow through them when their inputs are tracked.

/// `rot_from_axisangle`: (B, 1, 3) axis·angle vectors → (B, 4, 4) homogeneous rotations
/// (Rodrigues; the angle gets +1e-7 before dividing, exactly as the original).
///
/// The angle is `torch.norm(vec, 2, 2, True)`, whose backward is 0 where the norm is 0 (torch masks
/// x / ‖x‖ there) instead of sqrt's 1/(2·0) · 2·0 = NaN: so a zero sum of squares takes the gradient
/// through neither sqrt nor the square (same values, bit for bit). With that mask the whole gradient at
/// exactly zero axis-angle is 0, as torch gives (Tests/Fixtures/geometry/rot_zero.json).
public func rotationFromAxisAngle(_ vec: Tensor) -> Tensor {
    precondition(vec.rank == 3 && vec.shape[1] == 1 && vec.shape[2] == 3,
                 "rotationFromAxisAngle: input \(vec.shape), expected (B, 1, 3)")
    let b = vec.shape[0]
    let squaredNorm = vec.squared().sum(axes: [2], keepingDimensions: true)
    let isZero = equal(squaredNorm, Tensor.zeros([], on: vec.backend))
    let angle = select(isZero, Tensor.zeros([], on: vec.backend), select(isZero, Tensor.ones([], on: vec.backend), squaredNorm).sqrt())
    let axis = vec / (angle + 1e-7)
    let ca = angle.cos(), sa = angle.sin()
    let c = 1 - ca
    let x = axis.narrowed(2, start: 0, length: 1), y = axis.narrowed(2, start: 1, length: 1)
    let z = axis.narrowed(2, start: 2, length: 1)
    let xs = x * sa, ys = y * sa, zs = z * sa
    let xC = x * c, yC = y * c, zC = z * c
    let xyC = x * yC, yzC = y * zC, zxC = z * xC
    let zero = Tensor.zeros([b, 1, 1], on: vec.backend), one = Tensor.ones([b, 1, 1], on: vec.backend)
    let entries = [x * xC + ca, xyC - zs, zxC + ys, zero,
                   xyC + zs, y * yC + ca, yzC - xs, zero,
                   zxC - ys, yzC + xs, z * zC + ca, zero,
                   zero, zero, zero, one]
    return concat(entries, axis: 2).reshaped([b, 4, 4])
}

/// `get_translation_matrix`: (B, 1, 3) (or (B, 3)) translations → (B, 4, 4) identity with t in column 3.
public func translationMatrix(_ translation: Tensor) -> Tensor {
    precondition(translation.count == translation.shape[0] * 3 && translation.rank >= 2,
                 "translationMatrix: input \(translation.shape), expected (B, 1, 3)")
    let b = translation.shape[0]
    let t = translation.reshaped([b, 1, 3])
    let zero = Tensor.zeros([b, 1, 1], on: t.backend), one = Tensor.ones([b, 1, 1], on: t.backend)
    let tx = t.narrowed(2, start: 0, length: 1), ty = t.narrowed(2, start: 1, length: 1)
    let tz = t.narrowed(2, start: 2, length: 1)
    return concat([one, zero, zero, tx, zero, one, zero, ty, zero, zero, one, tz, zero, zero, zero, one], axis: 2)
        .reshaped([b, 4, 4])
}

/// `transformation_from_parameters(axisangle, translation, invert)`: (B, 1, 3) each → (B, 4, 4)
/// M = T(t)·R = [R | t], or with `invert` M = Rᵀ·T(−t) = [Rᵀ | −Rᵀt] (the exact inverse).
public func transformationFromParameters(axisangle: Tensor, translation: Tensor, invert: Bool = false) -> Tensor {
    precondition(axisangle.shape == translation.shape,
                 "transformationFromParameters: axisangle \(axisangle.shape), translation \(translation.shape)")
    var r = rotationFromAxisAngle(axisangle)
    var t = translation
    if invert {
        r = r.transposed(1, 2)
        t = -t
    }
    let m = translationMatrix(t)
    return invert ? matmul(r, m) : matmul(m, r)
}
