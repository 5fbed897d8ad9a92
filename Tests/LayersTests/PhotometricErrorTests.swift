import Layers
import TensorCore
import TestSupport
import XCTest

/// The fused photometric error against its definition from separate ops (trainer.py
/// compute_reprojection_loss: 0.85 · mean_c SSIM + 0.15 · mean_c |target − pred|, or the L1 term
/// alone), outputs and both gradients, plus finite-difference checks.
final class PhotometricErrorTests: XCTestCase {
    var rng = RandomGenerator(seed: 85)

    func image(_ shape: [Int]) -> Tensor { Tensor.uniform(shape, lower: 0, upper: 1, generator: &rng) }

    static func composite(_ pred: Tensor, _ target: Tensor, ssimWeight: Float) -> Tensor {
        let l1 = (target - pred).abs().mean(axes: [1], keepingDimensions: true)
        guard ssimWeight != 0 else { return l1 }
        return ssimWeight * ssim(pred, target).mean(axes: [1], keepingDimensions: true) + (1 - ssimWeight) * l1
    }

    func assertMatchesComposite(_ shape: [Int], ssimWeight: Float, file: StaticString = #filePath, line: UInt = #line) {
        let x = image(shape), y = image(shape)
        var outShape = shape
        outShape[1] = 1
        let weights = image(outShape)
        func run(_ f: (Tensor, Tensor) -> Tensor) -> (out: [Float], gx: [Float], gy: [Float]) {
            let tape = Tape()
            let tx = tape.watch(x), ty = tape.watch(y)
            let out = f(tx, ty)
            XCTAssertEqual(out.shape, outShape, file: file, line: line)
            let grads = tape.backward((out * weights).sum())
            return (out.scalars(), grads[tx]!.scalars(), grads[ty]!.scalars())
        }
        let fused = run { photometricError($0, $1, ssimWeight: ssimWeight) }
        let reference = run { Self.composite($0, $1, ssimWeight: ssimWeight) }
        for (label, a, b) in [("out", fused.out, reference.out), ("grad pred", fused.gx, reference.gx),
                              ("grad target", fused.gy, reference.gy)] {
            let c = compare(a, b)
            XCTAssertLessThanOrEqual(c.relativeToMax, 1e-5, "\(shape) weight \(ssimWeight) \(label): \(c)", file: file, line: line)
        }
    }

    func testMatchesSeparateOps() {
        assertMatchesComposite([2, 3, 5, 7], ssimWeight: 0.85)
        assertMatchesComposite([3, 3, 37, 21], ssimWeight: 0.85)   // row bands, SIMD tails
        assertMatchesComposite([1, 1, 2, 2], ssimWeight: 0.85)
        assertMatchesComposite([2, 3, 19, 9], ssimWeight: 0)       // --no_ssim
    }

    func testGradientCheck() {
        let x = image([2, 3, 4, 5])
        let y = (x + 0.5 * image([2, 3, 4, 5])) / 1.5
        for weight: Float in [0.85, 0] {
            let r = gradientCheck([x, y], epsilon: 1e-3) { photometricError($0[0], $0[1], ssimWeight: weight) }
            XCTAssertLessThan(r.relativeError, 2e-2, "weight \(weight): \(r)")
        }
    }

    func testOnlyPredictionTracked() {
        let x = image([2, 3, 6, 8]), y = image([2, 3, 6, 8])
        let tape = Tape()
        let tx = tape.watch(x)
        let g = tape.backward(photometricError(tx, y).sum())[tx]!.scalars()
        let tape2 = Tape()
        let tx2 = tape2.watch(x)
        let g2 = tape2.backward(Self.composite(tx2, y, ssimWeight: 0.85).sum())[tx2]!.scalars()
        XCTAssertLessThanOrEqual(compare(g, g2).relativeToMax, 1e-5)
        XCTAssertFalse(photometricError(x, y).isTracked)
    }
}
