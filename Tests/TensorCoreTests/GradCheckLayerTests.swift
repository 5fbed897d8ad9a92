import TensorCore
import TestSupport
import XCTest

/// Central-difference gradient checks of the layer ops (convolution, batch norm, pooling,
/// padding, resizing, grid sampling, matmul), and proof that the checker rejects a wrong backward.
final class GradCheckLayerTests: XCTestCase {
    var rng = RandomGenerator(seed: 24)

    func tensor(_ shape: [Int], _ lower: Float = -1, _ upper: Float = 1) -> Tensor {
        Tensor.uniform(shape, lower: lower, upper: upper, generator: &rng)
    }

    /// Values 0.05 apart in random order: no max/min ties within ε.
    func distinct(_ shape: [Int]) -> Tensor {
        var values = (0..<shape.reduce(1, *)).map { Float($0) * 0.05 - 1 }
        for i in stride(from: values.count - 1, to: 0, by: -1) { values.swapAt(i, rng.integer(below: i + 1)) }
        return Tensor(shape: shape, scalars: values)
    }

    func check(_ inputs: [Tensor], epsilon: Float = 1e-2, tolerance: Float = 1e-2, _ label: String,
               file: StaticString = #filePath, line: UInt = #line, _ f: @escaping ([Tensor]) -> Tensor) {
        let r = gradientCheck(inputs, epsilon: epsilon, f)
        XCTAssertLessThan(r.relativeError, tolerance, "\(label): \(r)", file: file, line: line)
    }

    func testConv2d() {
        let x = tensor([2, 2, 5, 6]), w = tensor([3, 2, 3, 3]), b = tensor([3])
        check([x, w, b], "conv 3x3 s1 p1 bias") { conv2d($0[0], weight: $0[1], bias: $0[2], stride: 1, padding: 1) }
        check([x, w], "conv 3x3 s2 p1") { conv2d($0[0], weight: $0[1], stride: 2, padding: 1) }
        check([x, tensor([2, 2, 1, 1])], "conv 1x1 s2") { conv2d($0[0], weight: $0[1], stride: 2) }
    }

    func testBatchNorm() {
        let x = tensor([3, 2, 3, 4], -2, 3), w = tensor([2], 0.5, 1.5), b = tensor([2])
        let rm = Tensor.zeros([2]), rv = Tensor.ones([2])
        check([x, w, b], "batch norm training") {
            batchNormTraining($0[0], weight: $0[1], bias: $0[2], runningMean: rm, runningVariance: rv).output
        }
        let rv2 = tensor([2], 0.5, 1.5)
        check([x, w, b], "batch norm inference") {
            batchNormInference($0[0], weight: $0[1], bias: $0[2], runningMean: rm, runningVariance: rv2)
        }
    }

    func testPoolingAndPadding() {
        check([distinct([1, 2, 5, 6])], "max pool 3x3 s2 p1") { maxPool2d($0[0], kernel: 3, stride: 2, padding: 1) }
        let x = tensor([2, 2, 5, 6])
        check([x], "avg pool 3x3 s1") { avgPool2d($0[0], kernel: 3, stride: 1) }
        check([x], "avg pool 2x2 s2") { avgPool2d($0[0], kernel: 2, stride: 2) }
        check([x], "reflection pad 1") { reflectionPad2d($0[0], padding: 1) }
        check([x], "reflection pad asymmetric") { reflectionPad2d($0[0], top: 2, bottom: 0, left: 1, right: 3) }
    }

    func testResizing() {
        let x = tensor([1, 2, 3, 4])
        check([x], "nearest x2") { upsampleNearest2d($0[0], factor: 2) }
        check([x], "bilinear up") { resizeBilinear($0[0], height: 7, width: 9) }
        check([tensor([1, 1, 9, 11])], "bilinear down") { resizeBilinear($0[0], height: 4, width: 5) }
    }

    func testGridSample() {
        let image = tensor([2, 2, 4, 5])
        // Pixel positions with fractional parts in [0.15, 0.85] (away from the piecewise-linear
        // kinks by more than ε·(size−1)/2), a few of them outside [−1, 1] (clamped: zero grid gradient).
        var coords: [Float] = []
        for i in 0..<(2 * 3 * 4) {
            let px = Float(rng.integer(below: 4)) + rng.uniform(0.15, 0.85)
            let py = Float(rng.integer(below: 3)) + rng.uniform(0.15, 0.85)
            var gx = px / 4 * 2 - 1, gy = py / 3 * 2 - 1
            if i % 7 == 3 { gx = 1.2 }
            if i % 11 == 5 { gy = -1.3 }
            coords += [gx, gy]
        }
        let grid = Tensor(shape: [2, 3, 4, 2], scalars: coords)
        check([image, grid], epsilon: 1e-3, "grid sample") { gridSample($0[0], grid: $0[1]) }
    }

    /// The warp's case: only the grid needs a gradient (the image is data). Same grid gradient
    /// as with both, over a batch and rows enough to be split across threads.
    func testGridSampleGridOnlyGradientMatchesBoth() {
        let image = tensor([3, 3, 20, 30], 0, 1), grid = tensor([3, 40, 50, 2], -1.1, 1.1), g = tensor([3, 3, 40, 50])
        let both = Tape()
        let ti = both.watch(image), tg = both.watch(grid)
        let gradients = both.backward(gridSample(ti, grid: tg), seed: g)
        let gridOnly = Tape()
        let tg2 = gridOnly.watch(grid)
        let gradient = gridOnly.backward(gridSample(image, grid: tg2), seed: g)
        XCTAssertEqual(gradient[tg2]!.scalars(), gradients[tg]!.scalars())
        XCTAssertEqual(gradients[ti]!.shape, image.shape)
    }

    func testMatmul() {
        let a = tensor([3, 4]), b = tensor([4, 2])
        check([a, b], "matmul 2d") { matmul($0[0], $0[1]) }
        check([tensor([2, 3, 4]), tensor([2, 4, 5])], "batched") { matmul($0[0], $0[1]) }
        check([tensor([2, 3, 4]), b], "broadcast batch") { matmul($0[0], $0[1]) }
        check([tensor([4, 3]), tensor([2, 5, 4])], "transposed operands") { matmul($0[0].transposed(), $0[1].transposed(1, 2)) }
    }

    /// The checker must reject a backward that is wrong (here: d(x²)/dx = x instead of 2x).
    func testCheckerRejectsWrongBackward() {
        func brokenSquare(_ x: Tensor) -> Tensor {
            let saved = x.detached()
            return Tensor.differentiable("broken_square", output: saved * saved, inputs: [x]) { g, _ in [g * saved] }
        }
        let x = tensor([2, 5])
        let result = gradientCheck([x], epsilon: 1e-2) { brokenSquare($0[0]) }
        XCTAssertGreaterThan(result.relativeError, 0.1, "\(result)")
        // The correct op passes with the same settings.
        XCTAssertLessThan(gradientCheck([x], epsilon: 1e-2) { $0[0].squared() }.relativeError, 1e-2)
    }
}
