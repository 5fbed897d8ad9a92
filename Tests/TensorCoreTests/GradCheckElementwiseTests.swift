import TensorCore
import TestSupport
import XCTest

/// Central-difference gradient checks (TestSupport `gradientCheck`) of the elementwise ops,
/// reductions and views. Inputs stay away from kinks by more than ε.
final class GradCheckElementwiseTests: XCTestCase {
    var rng = RandomGenerator(seed: 2019)

    /// Uniform values in [lower, upper) whose magnitude is at least `gap` (away from 0).
    func tensor(_ shape: [Int], _ lower: Float = -2, _ upper: Float = 2, gap: Float = 0.1) -> Tensor {
        let values = (0..<shape.reduce(1, *)).map { _ -> Float in
            var v = rng.uniform(lower, upper)
            if Swift.abs(v) < gap { v = v < 0 ? v - gap : v + gap }
            return v
        }
        return Tensor(shape: shape, scalars: values)
    }

    func check(_ inputs: [Tensor], epsilon: Float = 1e-2, tolerance: Float = 1e-2, _ label: String,
               file: StaticString = #filePath, line: UInt = #line, _ f: @escaping ([Tensor]) -> Tensor) {
        let r = gradientCheck(inputs, epsilon: epsilon, f)
        XCTAssertLessThan(r.relativeError, tolerance, "\(label): \(r)", file: file, line: line)
    }

    func testActivations() {
        let x = tensor([3, 7])
        check([x], "relu") { $0[0].relu() }
        check([x], "elu") { $0[0].elu() }
        check([x], "sigmoid") { $0[0].sigmoid() }
    }

    func testMath() {
        let x = tensor([2, 9]), positive = tensor([2, 9], 0.5, 3)
        check([x], "exp") { $0[0].exp() }
        check([positive], "log") { $0[0].log() }
        check([positive], "sqrt") { $0[0].sqrt() }
        check([x], "abs") { $0[0].abs() }
        check([x], "sin") { $0[0].sin() }
        check([x], "cos") { $0[0].cos() }
        check([x], "squared") { $0[0].squared() }
        check([positive], "pow 1.5") { $0[0].pow(1.5) }
        check([x], "clamp") { $0[0].clamped(min: -1.05, max: 0.95) }
        check([x], "neg") { -$0[0] }
    }

    func testScalarArithmetic() {
        let x = tensor([4, 5]), positive = tensor([4, 5], 0.5, 2)
        check([x], "x + s, s - x, x * s, x / s") { xs in ((xs[0] + 0.5) * 3 - 1) / 4 + (2 - xs[0]) * 0.5 }
        check([positive], "s / x") { 3 / $0[0] }
    }

    func testBroadcastingArithmetic() {
        let a = tensor([2, 3, 4]), b = tensor([3, 1]), c = tensor([4]), d = tensor([2, 3, 4], 0.5, 2)
        check([a, b], "add") { $0[0] + $0[1] }
        check([a, b], "sub") { $0[1] - $0[0] }
        check([a, c], "mul") { $0[0] * $0[1] }
        check([a, d], "div") { $0[0] / $0[1] }
        check([c, d], "div broadcast denominator") { $0[1] / $0[0] }
        let e = Tensor(shape: [2, 3, 4], scalars: a.scalars().map { $0 + 0.5 })
        check([a, e], "maximum") { maximum($0[0], $0[1]) }
        check([a, e], "minimum") { minimum($0[0], $0[1]) }
        let mask = greater(a, Tensor(0))
        check([a, b], "select") { select(mask, $0[0], $0[1]) }
    }

    func testReductions() {
        let x = tensor([2, 3, 4])
        check([x], "sum") { $0[0].sum() }
        check([x], "sum axes keep") { $0[0].sum(axes: [0, 2], keepingDimensions: true) }
        check([x], "sum axis") { $0[0].sum(axes: [1]) }
        check([x], "mean") { $0[0].mean() }
        check([x], "mean axes") { $0[0].mean(axes: [-1, -2]) }
        // Distinct values 0.05 apart: no ties within ε.
        var values = (0..<24).map { Float($0) * 0.05 }
        for i in stride(from: 23, to: 0, by: -1) { values.swapAt(i, rng.integer(below: i + 1)) }
        let distinct = Tensor(shape: [2, 3, 4], scalars: values)
        check([distinct], "min axis 1") { $0[0].min(axis: 1).values }
        check([distinct], "min axis -1 keep") { $0[0].min(axis: -1, keepingDimensions: true).values }
    }

    func testViews() {
        let x = tensor([2, 3, 4])
        check([x], "reshape") { $0[0].reshaped([4, -1]) * Tensor(shape: [6], scalars: [1, 2, 3, 4, 5, 6]) }
        check([x], "permute + contiguous") { $0[0].permuted([2, 0, 1]).contiguous().reshaped([24]) }
        check([x], "transpose") { $0[0].transposed(0, 2) }
        check([x], "narrow") { $0[0].narrowed(2, start: 1, length: 2) }
        check([x], "select") { $0[0].selecting(1, 2) }
        check([x], "unsqueeze/squeeze") { $0[0].unsqueezed(1).squeezed(1).unsqueezed(3) }
        check([tensor([3, 1])], "expand") { $0[0].expanded(to: [2, 3, 4]) }
        check([x, tensor([2, 1, 4])], "concat") { concat([$0[0], $0[1]], axis: 1) }
        check([x, x], "stack") { stack([$0[0], $0[1].squared()], axis: 1) }
    }
}
