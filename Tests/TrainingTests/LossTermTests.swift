import ArrayIO
import Foundation
import TensorCore
import TestSupport
import Training
import XCTest

/// The loss terms against ../shared/reference/torch/layers (SSIM, smoothness; outputs and
/// gradients at each case's tolerance), their finite-difference gradients, and the automask's
/// channel order and selection map.
final class LossTermTests: XCTestCase {
    /// Runs `body` on a layers case (every input watched), compares outputs and the gradients of
    /// Σ sum(out ⊙ G) rel-to-max at the case's tolerance.
    func checkLayerCase(_ name: String, _ body: ([String: Tensor]) throws -> Tensor,
                        file: StaticString = #filePath, line: UInt = #line) throws {
        let data = try Data(contentsOf: Fixtures.reference("torch/layers/index.json"))
        let index = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let entry = try XCTUnwrap(index[name] as? [String: Any])
        let tolerance = Float(try XCTUnwrap(entry["tolerance_max_abs_over_max_magnitude"] as? Double))
        let inputNames = try XCTUnwrap(entry["inputs"] as? [String: [Int]]).keys
        func load(_ file: String) throws -> Tensor {
            let a = try Fixtures.npy("torch/layers/\(name)/\(file).npy")
            return Tensor(shape: a.shape, scalars: a.floatValues())
        }
        let tape = Tape()
        var inputs: [String: Tensor] = [:]
        for key in inputNames { inputs[key] = tape.watch(try load("in_" + key)) }
        let out = try body(inputs)
        let expected = try load("out")
        XCTAssertEqual(out.count, expected.count, name, file: file, line: line)
        let c = compare(out.scalars(), expected.scalars())
        XCTAssertLessThanOrEqual(c.relativeToMax, tolerance, "\(name) out: \(c)", file: file, line: line)
        let grads = tape.backward((out * (try load("G")).reshaped(out.shape)).sum())
        for key in inputNames {
            let g = try XCTUnwrap(grads[try XCTUnwrap(inputs[key])], "\(name): no gradient for \(key)", file: file, line: line)
            let cg = compare(g.scalars(), try load("grad_" + key).scalars())
            XCTAssertLessThanOrEqual(cg.relativeToMax, tolerance, "\(name) grad \(key): \(cg)", file: file, line: line)
        }
    }

    func testCompositeSSIMMatchesTorch() throws {
        for name in ["ssim", "ssim_similar"] {
            try checkLayerCase(name) { try compositeSSIM($0.tensor("x"), $0.tensor("y")) }
        }
    }

    func testSmoothnessMatchesTorch() throws {
        try checkLayerCase("smooth_loss") { try smoothnessLoss(disparity: $0.tensor("disp"), image: $0.tensor("img")).reshaped([1]) }
        try checkLayerCase("smooth_loss_normalised") {
            try smoothnessLoss(disparity: meanNormalisedDisparity($0.tensor("disp")), image: $0.tensor("img")).reshaped([1])
        }
    }

    /// Central differences: SSIM (similar images, the loss regime), reprojection loss, smoothness.
    func testLossTermGradientChecks() {
        var rng = RandomGenerator(seed: 11)
        let x = Tensor.uniform([1, 3, 5, 6], lower: 0.2, upper: 0.8, generator: &rng)
        // |x − y| ≥ 0.02 everywhere, so no step crosses the L1 kink.
        let offset = Tensor.uniform([1, 3, 5, 6], lower: -0.08, upper: 0.08, generator: &rng)
        let y = (x + offset + 0.02 * offset.sign()).detached()
        let ssim = gradientCheck([x, y], epsilon: 1e-3) { compositeSSIM($0[0], $0[1]) }
        XCTAssertLessThan(ssim.relativeError, 2e-2, "SSIM \(ssim)")
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
