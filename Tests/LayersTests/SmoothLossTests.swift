import Layers
import TensorCore
import TestSupport
import XCTest

/// layers.py `get_smooth_loss` against ../shared/reference/torch/layers/smooth_loss (output and
/// gradients) and by central differences; `compute_depth_errors` on hand-checked values.
final class SmoothLossTests: XCTestCase {
    func testSmoothLossMatchesTorch() throws {
        try LayerFixture.load("smooth_loss").check { i in
            ["out": smoothnessLoss(disparity: try i.tensor("disp"), image: try i.tensor("img")).reshaped([1])]
        }
    }

    func testSmoothLossGradientCheck() {
        var rng = RandomGenerator(seed: 12)
        let image = Tensor.uniform([2, 3, 5, 6], generator: &rng)
        let d = Tensor.uniform([2, 1, 5, 6], lower: 0.1, upper: 0.9, generator: &rng)
        let result = gradientCheck([d], epsilon: 1e-3) { smoothnessLoss(disparity: $0[0], image: image) }
        XCTAssertLessThan(result.relativeError, 2e-2, "\(result)")
    }

    /// gt (1, 2, 4), pred (2, 2, 5): ratios 2, 1, 1.25 (not < 1.25, but < 1.25²; 2 is above 1.25³).
    func testDepthErrors() {
        let e = depthErrors(groundTruth: [1, 2, 4], prediction: [2, 2, 5])
        XCTAssertEqual(e[0], Float((1.0 + 0 + 0.25) / 3), accuracy: 1e-6)            // abs_rel
        XCTAssertEqual(e[1], Float((1.0 + 0 + 0.25) / 3), accuracy: 1e-6)            // sq_rel: 1/1, 0, 1/4
        XCTAssertEqual(e[2], Float(((1.0 + 0 + 1) / 3).squareRoot()), accuracy: 1e-6) // rmse
        let logs = [log(1.0 / 2), 0, log(4.0 / 5)]
        XCTAssertEqual(e[3], Float((logs.map { $0 * $0 }.reduce(0, +) / 3).squareRoot()), accuracy: 1e-6)
        XCTAssertEqual(Array(e[4...]), [Float(1) / 3, Float(2) / 3, Float(2) / 3])  // 2 > 1.25³
    }
}
