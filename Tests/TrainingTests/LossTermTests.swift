import ArrayIO
import Foundation
import Layers
import TensorCore
import TestSupport
import Training
import XCTest

/// The trainer's loss terms: the normalised smoothness against ../shared/reference/torch/layers,
/// finite-difference gradients, the predictive mask's BCE, and the automask's channel order and
/// selection map.
final class LossTermTests: XCTestCase {
    func testNormalisedSmoothnessMatchesTorch() throws {
        try LayerFixture.load("smooth_loss_normalised").check { i in
            ["out": smoothnessLoss(disparity: meanNormalisedDisparity(try i.tensor("disp")), image: try i.tensor("img")).reshaped([1])]
        }
    }

    /// Central differences: the reprojection loss (similar images, the loss regime), smoothness.
    func testLossTermGradientChecks() {
        var rng = RandomGenerator(seed: 11)
        let x = Tensor.uniform([1, 3, 5, 6], lower: 0.2, upper: 0.8, generator: &rng)
        // |x − y| ≥ 0.02 everywhere, so no step crosses the L1 kink.
        let offset = Tensor.uniform([1, 3, 5, 6], lower: -0.08, upper: 0.08, generator: &rng)
        let y = (x + offset + 0.02 * offset.sign()).detached()
                let reprojection = gradientCheck([x, y], epsilon: 1e-3) { reprojectionLoss($0[0], $0[1], useSSIM: true) }
        XCTAssertLessThan(reprojection.relativeError, 2e-2, "reprojection \(reprojection)")
        let d = Tensor.uniform([1, 1, 5, 6], lower: 0.1, upper: 0.9, generator: &rng)
        let smooth = gradientCheck([d], epsilon: 1e-3) { smoothnessLoss(disparity: meanNormalisedDisparity($0[0]), image: x) }
        XCTAssertLessThan(smooth.relativeError, 2e-2, "smoothness \(smooth)")
    }

    /// BCE against ones: value −mean log m and torch's gradient −1/(N·m) (0 where m is exactly 1).
    func testPredictiveMaskBCE() {
        let m = Tensor(shape: [1, 1, 1, 4], scalars: [0.5, 0.25, 1, 1e-45])
        let tape = Tape()
        let watched = tape.watch(m)
        let loss = binaryCrossEntropyWithOnes(watched)
        let expected = (-Double(Float(0.5).logarithm) - Double(Float(0.25).logarithm) + 0 + 100) / 4
        XCTAssertEqual(Double(loss.scalar()), expected, accuracy: 1e-5)
        let g = tape.backward(loss)[watched]!.scalars()
        XCTAssertEqual(g[0], -1 / (4 * 0.5), accuracy: 1e-6)
        XCTAssertEqual(g[1], -1 / (4 * 0.25), accuracy: 1e-6)
        XCTAssertEqual(g[2], 0)
        let inner = gradientCheck([Tensor(shape: [1, 1, 2, 2], scalars: [0.3, 0.6, 0.8, 0.45])], epsilon: 1e-3) {
            binaryCrossEntropyWithOnes($0[0])
        }
        XCTAssertLessThan(inner.relativeError, 1e-2, "\(inner)")
    }

    /// Identity channels come first: an exact tie goes to the identity (selection 0), a warped
    /// source that is strictly better is selected (1); the gradient reaches only the chosen channel.
    func testAutomaskSelection() {
        let identity = Tensor(shape: [1, 2, 1, 3], scalars: [0.5, 0.2, 0.9, 0.4, 0.3, 0.8])
        let reprojection = Tensor(shape: [1, 2, 1, 3], scalars: [0.5, 0.1, 0.7, 0.6, 0.3, 0.9])
        let tape = Tape()
        let r = tape.watch(reprojection)
        let m = minimumReprojection(reprojection: r, identity: identity, noise: nil)
        XCTAssertEqual(m.loss.scalars(), [0.4, 0.1, 0.7])
        XCTAssertEqual(m.identitySelection?.scalars(), [0, 1, 1])
        let g = tape.backward(m.loss.sum())[r]!.scalars()
        XCTAssertEqual(g, [0, 1, 1, 0, 0, 0])
        let single = minimumReprojection(reprojection: reprojection.narrowed(1, start: 0, length: 1), identity: nil, noise: nil)
        XCTAssertEqual(single.loss.shape, [1, 1, 1, 3])
        XCTAssertNil(single.identitySelection)
    }
}

private extension Float {
    var logarithm: Float { Float(Foundation.log(Double(self))) }
}
