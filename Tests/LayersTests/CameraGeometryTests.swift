import Layers
import TensorCore
import TestSupport
import XCTest

/// BackprojectDepth + Project3D (+ the warp's grid sample) against the layers fixture
/// `backproject_project_sample` (outputs and gradients for depth, K, inv_K, T, image), and central
/// differences through the whole warp.
final class CameraGeometryTests: XCTestCase {
    func testBackprojectProjectSampleMatchesTorch() throws {
        try LayerFixture.load("backproject_project_sample").check { i in
            let depth = try i.tensor("depth")
            let h = depth.shape[2], w = depth.shape[3]
            let points = try BackprojectDepth(height: h, width: w)(depth, inverseIntrinsics: i.tensor("inv_K"))
            let grid = try Project3D(height: h, width: w)(points, intrinsics: i.tensor("K"), transform: i.tensor("T"))
            return try ["cam_points": points, "pix_coords": grid, "out": gridSample(i.tensor("img"), grid: grid)]
        }
    }

    /// The pixel grid: column 0 ↦ −1, W−1 ↦ +1 under the identity camera.
    func testIdentityProjectionIsTheAlignCornersGrid() {
        let h = 3, w = 5
        let depth = Tensor.full([1, 1, h, w], 2)
        let eye = Tensor(shape: [1, 4, 4], scalars: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])
        let points = BackprojectDepth(height: h, width: w)(depth, inverseIntrinsics: eye)
        let grid = Project3D(height: h, width: w)(points, intrinsics: eye, transform: eye).scalars()
        XCTAssertEqual(grid[0], -1, accuracy: 1e-6)
        XCTAssertEqual(grid[1], -1, accuracy: 1e-6)
        XCTAssertEqual(grid[2 * (w - 1)], 1, accuracy: 1e-6)
        XCTAssertEqual(grid[2 * (h * w - 1) + 1], 1, accuracy: 1e-6)
    }

    /// Gradient of the warped image w.r.t. depth and T, away from pixel-grid kinks.
    func testWarpGradientCheck() {
        var rng = RandomGenerator(seed: 5)
        let h = 4, w = 6
        let depth = Tensor.uniform([1, 1, h, w], lower: 2, upper: 4, generator: &rng)
        let image = Tensor.uniform([1, 2, h, w], generator: &rng)
        let k = Tensor(shape: [1, 4, 4], scalars: [3, 0, 2.5, 0, 0, 3, 1.5, 0, 0, 0, 1, 0, 0, 0, 0, 1])
        let invK = Tensor(shape: [1, 4, 4], scalars: [1.0 / 3, 0, -2.5 / 3, 0, 0, 1.0 / 3, -0.5, 0, 0, 0, 1, 0, 0, 0, 0, 1])
        let t = Tensor(shape: [1, 4, 4], scalars: [1, 0.01, 0, 0.137, -0.01, 1, 0, 0.061, 0, 0, 1, 0.05, 0, 0, 0, 1])
        let result = gradientCheck([depth, t], epsilon: 1e-3) { x in
            let points = BackprojectDepth(height: h, width: w)(x[0], inverseIntrinsics: invK)
            let grid = Project3D(height: h, width: w)(points, intrinsics: k, transform: x[1])
            return gridSample(image, grid: grid)
        }
        XCTAssertLessThan(result.relativeError, 2e-2, "\(result)")
    }
}
