import TensorCore

/// `Project3D(B, H, W, eps=1e-7)`: camera points → sampling grid (B, H, W, 2) of (x, y) in [−1, 1]
/// with column 0 ↦ −1 and column W−1 ↦ +1 (align_corners=True): P = (K·T)[:3],
/// uv = (P·X)[:2] / ((P·X)[2] + eps), then x/(W−1), y/(H−1), minus 0.5, times 2.
public struct Project3D {
    public let height: Int
    public let width: Int
    public let epsilon: Float
    /// (1, 2, 1): W−1 and H−1 (true divisions, as the original's in-place `/=`).
    let extent: Tensor

    public init(height: Int, width: Int, epsilon: Float = 1e-7, on backend: any Backend = CPUBackend.shared) {
        precondition(height > 1 && width > 1, "Project3D: size \(height)x\(width)")
        self.height = height
        self.width = width
        self.epsilon = epsilon
        extent = Tensor(shape: [1, 2, 1], scalars: [Float(width - 1), Float(height - 1)], on: backend)
    }

    /// points (B, 4, H·W), intrinsics (B, 4, 4), transform (B, 4, 4) → grid (B, H, W, 2).
    public func callAsFunction(_ points: Tensor, intrinsics K: Tensor, transform T: Tensor) -> Tensor {
        let b = points.shape[0], n = height * width
        precondition(points.shape == [b, 4, n] && K.shape == [b, 4, 4] && T.shape == [b, 4, 4],
                     "Project3D(\(height)x\(width)): points \(points.shape), K \(K.shape), T \(T.shape)")
        let projection = matmul(K, T).narrowed(1, start: 0, length: 3)
        let camera = matmul(projection, points)
        let uv = camera.narrowed(1, start: 0, length: 2) / (camera.narrowed(1, start: 2, length: 1) + epsilon)
        let normalised = (uv / extent - 0.5) * 2
        return normalised.reshaped([b, 2, height, width]).permuted([0, 2, 3, 1]).contiguous()
    }
}
