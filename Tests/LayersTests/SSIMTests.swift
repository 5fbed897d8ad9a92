import Layers
import TensorCore
import TestSupport
import XCTest

/// The fused SSIM op: parity with layers.SSIM (../shared/reference/torch/layers/ssim and
/// ssim_similar, outputs and gradients), a finite-difference gradient check, and agreement with
/// the composite of pads, pools and elementwise ops on shapes the fixtures do not cover
/// (2×2 planes, odd sizes, planes taller than one work band, strided inputs).
final class SSIMTests: XCTestCase {
    var rng = RandomGenerator(seed: 16)

    func image(_ shape: [Int]) -> Tensor { Tensor.uniform(shape, lower: 0, upper: 1, generator: &rng) }

    func testFixtures() throws {
        for name in ["ssim", "ssim_similar"] {
            try LayerFixture.load(name).check { i in try ["out": ssim(i.tensor("x"), i.tensor("y"))] }
        }
    }

    func testGradientCheck() {
        let x = image([2, 2, 5, 6])
        let y = (x + 0.3 * image([2, 2, 5, 6])) / 1.3
        let r = gradientCheck([x, y], epsilon: 3e-3) { ssim($0[0], $0[1]) }
        XCTAssertLessThan(r.relativeError, 2e-2, "\(r)")
    }

    func testGradientCheckTinyPlanes() {
        // 2-row/2-column planes: every reflected tap folds back onto the other row/column.
        let x = image([1, 2, 2, 3]), y = image([1, 2, 2, 3])
        let r = gradientCheck([x, y], epsilon: 3e-3) { ssim($0[0], $0[1]) }
        XCTAssertLessThan(r.relativeError, 2e-2, "\(r)")
    }

    /// layers.SSIM written with TensorCore's pads, pools and elementwise ops (their autodiff): the
    /// reference for the fused op on shapes the fixtures do not cover.
    static func compositeSSIM(_ x: Tensor, _ y: Tensor) -> Tensor {
        let xp = reflectionPad2d(x, padding: 1), yp = reflectionPad2d(y, padding: 1)
        func pool(_ t: Tensor) -> Tensor { avgPool2d(t, kernel: 3, stride: 1) }
        let muX = pool(xp), muY = pool(yp)
        let sigmaX = pool(xp.squared()) - muX.squared()
        let sigmaY = pool(yp.squared()) - muY.squared()
        let sigmaXY = pool(xp * yp) - muX * muY
        let c1: Float = 0.01 * 0.01, c2: Float = 0.03 * 0.03
        let n = (2 * muX * muY + c1) * (2 * sigmaXY + c2)
        let d = (muX.squared() + muY.squared() + c1) * (sigmaX + sigmaY + c2)
        return ((1 - n / d) / 2).clamped(min: 0, max: 1)
    }

    func assertMatchesComposite(_ shape: [Int], file: StaticString = #filePath, line: UInt = #line) {
        let x = image(shape), y = image(shape), weights = image(shape)
        func run(_ f: (Tensor, Tensor) -> Tensor) -> (out: [Float], gx: [Float], gy: [Float]) {
            let tape = Tape()
            let tx = tape.watch(x), ty = tape.watch(y)
            let out = f(tx, ty)
            let grads = tape.backward((out * weights).sum())
            return (out.scalars(), grads[tx]!.scalars(), grads[ty]!.scalars())
        }
        let fused = run(ssim), composite = run(Self.compositeSSIM)
        for (label, a, b) in [("out", fused.out, composite.out), ("grad x", fused.gx, composite.gx),
                              ("grad y", fused.gy, composite.gy)] {
            let c = compare(a, b)
            XCTAssertLessThanOrEqual(c.relativeToMax, 2e-4, "\(shape) \(label): \(c)", file: file, line: line)
        }
    }

    func testMatchesCompositeOnOtherShapes() {
        assertMatchesComposite([1, 1, 2, 2])
        assertMatchesComposite([1, 2, 3, 9])
        assertMatchesComposite([2, 3, 37, 21])   // three row bands, a SIMD tail
        assertMatchesComposite([1, 1, 33, 16])   // a last band of one row
    }

    func testStridedInputsAndOneSidedGradient() {
        let big = image([2, 3, 12, 10])
        let x = big.narrowed(3, start: 1, length: 8), y = image([2, 3, 12, 8])
        let expected = Self.compositeSSIM(x.contiguous(), y).scalars()
        XCTAssertLessThanOrEqual(compare(ssim(x, y).scalars(), expected).relativeToMax, 1e-5)
        // Only y tracked: x gets no gradient, y's equals the composite's.
        let tape = Tape()
        let ty = tape.watch(y)
        let g = tape.backward(ssim(x, ty).sum())
        let tape2 = Tape()
        let ty2 = tape2.watch(y)
        let g2 = tape2.backward(Self.compositeSSIM(x.contiguous(), ty2).sum())
        XCTAssertLessThanOrEqual(compare(g[ty]!.scalars(), g2[ty2]!.scalars()).relativeToMax, 2e-4)
    }

    func testUntrackedInputsRecordNothing() {
        let out = ssim(image([1, 3, 4, 5]), image([1, 3, 4, 5]))
        XCTAssertFalse(out.isTracked)
        XCTAssertEqual(out.shape, [1, 3, 4, 5])
        XCTAssertEqual(ssim(image([1, 1, 4, 4]).onesLike(), Tensor.ones([1, 1, 4, 4])).scalars(),
                       [Float](repeating: 0, count: 16), "identical images: zero loss")
    }
}
