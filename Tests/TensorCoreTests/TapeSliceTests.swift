import TensorCore
import TestSupport
import XCTest

/// Gradients of slices (narrow/select) add into the input's gradient in place, and binary ops
/// keep only the operands a gradient reads.
final class TapeSliceTests: XCTestCase {
    func testOverlappingSlicesAndWholeUseAccumulate() {
        let values = (0..<24).map { Float($0) * 0.1 - 1 }
        let x = Tensor(shape: [2, 3, 4], scalars: values)
        let tape = Tape()
        let tx = tape.watch(x)
        let w1 = Tensor(shape: [2, 2, 4], scalars: (0..<16).map { Float($0) })
        let w2 = Tensor(shape: [2, 3, 2], scalars: (0..<12).map { Float($0) * -2 })
        // loss = Σ x[:, 1:3, :]·w1 + Σ x[:, :, 2:4]·w2 + Σ x·3 + Σ x[1]·5
        let loss = (tx.narrowed(1, start: 1, length: 2) * w1).sum() + (tx.narrowed(2, start: 2, length: 2) * w2).sum()
            + (tx * 3).sum() + (tx.selecting(0, 1) * 5).sum()
        let g = tape.backward(loss)[tx]!.scalars()
        var expected = [Float](repeating: 3, count: 24)
        for n in 0..<2 {
            for c in 0..<3 {
                for w in 0..<4 {
                    let i = (n * 3 + c) * 4 + w
                    if c >= 1 { expected[i] += Float((n * 2 + c - 1) * 4 + w) }
                    if w >= 2 { expected[i] += Float((n * 3 + c) * 2 + w - 2) * -2 }
                    if n == 1 { expected[i] += 5 }
                }
            }
        }
        XCTAssertEqual(g, expected)
    }

    func testSliceOfSliceAndGradCheck() {
        var rng = RandomGenerator(seed: 3)
        let x = Tensor.uniform([3, 5, 6], lower: -1, upper: 1, generator: &rng)
        let r = gradientCheck([x]) { i in
            let a = i[0].narrowed(2, start: 1, length: 4).narrowed(1, start: 2, length: 3)
            return concat([a * a, i[0].narrowed(2, start: 0, length: 4).narrowed(1, start: 0, length: 3)], axis: 0)
        }
        XCTAssertLessThan(r.relativeError, 1e-2, "\(r)")
    }

    /// c · u and u / c with a constant c keep c only, not the intermediate u (1 MB each).
    func testMultiplyAndDivideByConstantKeepOnlyTheConstant() {
        let backend = CPUBackend(cacheLimitBytes: 0)
        let megabyte = 1 << 20, n = megabyte / 4
        let x = Tensor.full([n], 2, on: backend), c = Tensor.full([n], 3, on: backend)
        let baseline = backend.memoryStatistics.liveBytes
        let tape = Tape()
        let tx = tape.watch(x)
        var u: Tensor? = tx * 2
        let y = c * u!
        u = nil
        XCTAssertEqual(backend.memoryStatistics.liveBytes - baseline, megabyte, "only the product is live")
        var v: Tensor? = tx * 2
        let z = v! / c
        v = nil
        XCTAssertEqual(backend.memoryStatistics.liveBytes - baseline, 2 * megabyte, "only the product and quotient are live")
        let g = tape.backward((y + z).sum())[tx]!.scalars()
        XCTAssertEqual(g[0], 2 * 3 + 2.0 / 3, accuracy: 1e-6)
        XCTAssertEqual(g[n - 1], 2 * 3 + 2.0 / 3, accuracy: 1e-6)
    }
}
