import Kernels

// Max pooling (−inf padding, gradient to the FIRST maximum) and average pooling (no padding)
// over NCHW (kernels in Kernels/Pooling.swift).

private func poolGeometry(_ op: String, _ x: Tensor, kernel: Int, stride: Int, padding: Int) -> Pool2dGeometry {
    precondition(x.rank == 4 && x.dtype == .float32, "\(op): input \(x.dtype) \(x.shape) (need float32 (N,C,H,W))")
    precondition(kernel > 0 && stride > 0 && padding >= 0 && padding * 2 <= kernel
                 && x.shape[2] + 2 * padding >= kernel && x.shape[3] + 2 * padding >= kernel,
                 "\(op): kernel \(kernel) stride \(stride) padding \(padding) for input \(x.shape)")
    return Pool2dGeometry(planes: x.shape[0] * x.shape[1], inHeight: x.shape[2], inWidth: x.shape[3],
                          kernel: kernel, stride: stride, padding: padding)
}

/// Max pooling with a square window (padding counts as −inf), e.g. ResNet's 3×3 s2 p1.
/// The gradient goes to the FIRST maximum of each window in row-major order.
public func maxPool2d(_ x: Tensor, kernel: Int, stride: Int, padding: Int = 0) -> Tensor {
    let g = poolGeometry("maxPool2d", x, kernel: kernel, stride: stride, padding: padding)
    let (y, indices) = x.backend.maxPool2d(x.detached(), geometry: g)
    guard let tape = Tape.active(x) else { return y }
    let inShape = x.shape
    return tape.record("max_pool2d", y, [x]) { gy, _ in
        [gy.backend.maxPool2dBackward(gradOutput: gy, indices: indices, geometry: g, inputShape: inShape)]
    }
}

/// Average pooling with a square window and no padding (`nn.AvgPool2d(k, stride)`).
public func avgPool2d(_ x: Tensor, kernel: Int, stride: Int) -> Tensor {
    let g = poolGeometry("avgPool2d", x, kernel: kernel, stride: stride, padding: 0)
    let y = x.backend.avgPool2d(x.detached(), geometry: g)
    guard let tape = Tape.active(x) else { return y }
    let inShape = x.shape
    return tape.record("avg_pool2d", y, [x]) { gy, _ in
        [gy.backend.avgPool2dBackward(gradOutput: gy, geometry: g, inputShape: inShape)]
    }
}
