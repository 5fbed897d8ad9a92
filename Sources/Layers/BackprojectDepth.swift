import TensorCore

// layers.py camera geometry of the warp: depth → camera points → pixel coordinates of another
// view, normalised for `gridSample` (align_corners=True). Compositions of TensorCore ops, so
// gradients reach depth, K, inv_K and T when they are tracked by a tape.

/// `BackprojectDepth(B, H, W)`: lifts a depth map to homogeneous camera points,
/// `[depth · (invK[:3,:3] · (x, y, 1)ᵀ); 1]` for the integer pixel centres x = 0…W−1, y = 0…H−1
/// in row-major order. Works for any batch size.
public struct BackprojectDepth {
    public let height: Int
    public let width: Int
    /// (1, 3, H·W): rows x, y, 1.
    let pixels: Tensor

    public init(height: Int, width: Int, on backend: any Backend = CPUBackend.shared) {
        precondition(height > 0 && width > 0, "BackprojectDepth: size \(height)x\(width)")
        self.height = height
        self.width = width
        let n = height * width
        var grid = [Float](repeating: 1, count: 3 * n)
        for y in 0..<height {
            for x in 0..<width {
                grid[y * width + x] = Float(x)
                grid[n + y * width + x] = Float(y)
            }
        }
        pixels = Tensor(shape: [1, 3, n], scalars: grid, on: backend)
    }

    /// depth (B, 1, H, W), inverse intrinsics (B, 4, 4) → camera points (B, 4, H·W).
    public func callAsFunction(_ depth: Tensor, inverseIntrinsics invK: Tensor) -> Tensor {
        let b = depth.shape[0]
        precondition(depth.shape == [b, 1, height, width] && invK.shape == [b, 4, 4],
                     "BackprojectDepth(\(height)x\(width)): depth \(depth.shape), inv_K \(invK.shape)")
        let rays = matmul(invK.narrowed(1, start: 0, length: 3).narrowed(2, start: 0, length: 3), pixels)
        let points = depth.reshaped([b, 1, height * width]) * rays
        return concat([points, Tensor.ones([b, 1, height * width], on: depth.backend)], axis: 1)
    }
}
