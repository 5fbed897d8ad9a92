import TensorCore
import XCTest

/// Tensor creation, host transfers, views, broadcasting, conversions, the tape's lifecycle and
/// the caching allocator (values checked against hand-computed results).
final class TensorTests: XCTestCase {
    func testCreationAndHostReads() {
        let t = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(t.shape, [2, 3])
        XCTAssertEqual(t.strides, [3, 1])
        XCTAssertEqual(t.scalars(), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(Tensor(2.5).scalar(), 2.5)
        XCTAssertEqual(Tensor.zeros([2, 2], dtype: .int64).int64s(), [0, 0, 0, 0])
        XCTAssertEqual(Tensor.full([3], 7).scalars(), [7, 7, 7])
        XCTAssertEqual(Tensor(shape: [2], bools: [true, false]).bools(), [true, false])
        XCTAssertEqual(Tensor(shape: [0, 3], scalars: []).count, 0)
    }

    func testViewsShareStorageAndReadCorrectly() {
        let t = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let tt = t.transposed()
        XCTAssertTrue(tt.storage === t.storage)
        XCTAssertFalse(tt.isContiguous)
        XCTAssertEqual(tt.shape, [3, 2])
        XCTAssertEqual(tt.scalars(), [1, 4, 2, 5, 3, 6])
        let n = t.narrowed(1, start: 1, length: 2)
        XCTAssertTrue(n.storage === t.storage)
        XCTAssertEqual(n.scalars(), [2, 3, 5, 6])
        XCTAssertEqual(t.selecting(0, 1).scalars(), [4, 5, 6])
        XCTAssertEqual(tt.reshaped([6]).scalars(), [1, 4, 2, 5, 3, 6])
        XCTAssertEqual(t.reshaped([3, -1]).shape, [3, 2])
        XCTAssertEqual(t.unsqueezed(0).shape, [1, 2, 3])
        XCTAssertEqual(t.unsqueezed(2).squeezed(2).scalars(), t.scalars())
        XCTAssertEqual(Tensor(shape: [3, 1], scalars: [1, 2, 3]).expanded(to: [2, 3, 2]).scalars(),
                       [1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3])
        XCTAssertEqual(t.permuted([1, 0]).contiguous().scalars(), [1, 4, 2, 5, 3, 6])
    }

    func testBroadcastingArithmeticAndReductions() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let row = Tensor(shape: [3], scalars: [10, 20, 30]), column = Tensor(shape: [2, 1], scalars: [100, 200])
        XCTAssertEqual((a + row).scalars(), [11, 22, 33, 14, 25, 36])
        XCTAssertEqual((a * column).scalars(), [100, 200, 300, 800, 1000, 1200])
        XCTAssertEqual((row - a).scalars(), [9, 18, 27, 6, 15, 24])
        XCTAssertEqual((a / 2).scalars(), [0.5, 1, 1.5, 2, 2.5, 3])
        XCTAssertEqual((6 / a).scalars(), [6, 3, 2, 1.5, 1.2, 1])
        XCTAssertEqual(a.sum().scalar(), 21)
        XCTAssertEqual(a.sum(axes: [0]).scalars(), [5, 7, 9])
        XCTAssertEqual(a.sum(axes: [1], keepingDimensions: true).shape, [2, 1])
        XCTAssertEqual(a.mean(axes: [-1]).scalars(), [2, 5])
        let (v, i) = Tensor(shape: [2, 3], scalars: [3, 1, 1, 0, 5, 0]).min(axis: 1)
        XCTAssertEqual(v.scalars(), [1, 0])
        XCTAssertEqual(i.int64s(), [1, 0], "first minimum on ties")
        XCTAssertEqual(matmul(a, a.transposed()).scalars(), [14, 32, 32, 77])
        XCTAssertEqual(concat([a, row.unsqueezed(0)], axis: 0).scalars(), [1, 2, 3, 4, 5, 6, 10, 20, 30])
    }

    func testLargeSumIsAccurate() {
        // 3·10^6 values of 0.1: a naive Float running sum drifts by ~1%; blocked SIMD + Double does not.
        let n = 3_000_000
        let t = Tensor.full([n], 0.1)
        XCTAssertEqual(Double(t.sum().scalar()), 300_000.0047, accuracy: 0.05)
    }

    func testComparisonsSelectionAndConversion() {
        let a = Tensor(shape: [4], scalars: [-1, 0, 2.7, 3])
        XCTAssertEqual(greater(a, Tensor(0)).bools(), [false, false, true, true])
        XCTAssertEqual(select(less(a, Tensor(1)), a, Tensor(9)).scalars(), [-1, 0, 9, 9])
        XCTAssertEqual(a.converted(to: .int64).int64s(), [-1, 0, 2, 3])
        XCTAssertEqual(Tensor(shape: [2], int64s: [3, -4]).converted(to: .float32).scalars(), [3, -4])
        XCTAssertEqual(greater(a, Tensor(0)).converted(to: .float32).scalars(), [0, 0, 1, 1])
    }

    /// NaN handling as torch 2.15 gives it: torch.min(dim) → first NaN (index 1); max_pool2d
    /// (3×3 window [[1,nan,3],[nan,2,0],[5,1,1]]) → NaN at the LAST NaN, flat index 3.
    func testNaNPropagationMatchesTorch() {
        let (v, i) = Tensor(shape: [1, 4], scalars: [1, .nan, .nan, 0]).min(axis: 1)
        XCTAssertTrue(v.scalar().isNaN)
        XCTAssertEqual(i.int64s(), [1])
        let tape = Tape()
        let x = tape.watch(Tensor(shape: [1, 1, 3, 3], scalars: [1, .nan, 3, .nan, 2, 0, 5, 1, 1]))
        let y = maxPool2d(x, kernel: 3, stride: 1)
        XCTAssertTrue(y.scalar().isNaN)
        let g = tape.backward(y.sum())[x]!.scalars()
        XCTAssertEqual(g, [0, 0, 0, 1, 0, 0, 0, 0, 0])
    }

    func testActivationsAtSpecialValues() {
        let x = Tensor(shape: [6], scalars: [0, -0.0, 1, -1, 100, -100])
        XCTAssertEqual(x.relu().scalars(), [0, 0, 1, 0, 100, 0])
        let e = x.elu().scalars()
        XCTAssertEqual(e[2], 1)
        XCTAssertEqual(e[3], Float(Foundation.exp(-1.0) - 1), accuracy: 1e-7)
        XCTAssertEqual(e[5], -1)
        let s = x.sigmoid().scalars()
        XCTAssertEqual(s[0], 0.5)
        XCTAssertEqual(s[4], 1)
        XCTAssertEqual(s[5], Float(1 / (1 + Foundation.exp(100.0))), accuracy: 1e-30)
        XCTAssertEqual(Tensor(shape: [3], scalars: [0, 89, -.nan]).exp().scalars()[0], 1)
        XCTAssertEqual(Tensor(shape: [1], scalars: [89]).exp().scalar(), .infinity)
        XCTAssertTrue(Tensor(shape: [1], scalars: [.nan]).exp().scalar().isNaN)
    }

    func testTapeLifecycle() {
        let tape = Tape()
        let x = tape.watch(Tensor(shape: [3], scalars: [1, 2, 3]))
        let y = (x * x).sum()
        XCTAssertTrue(y.isTracked)
        let untracked = Tensor(shape: [3], scalars: [1, 1, 1]) * 2
        XCTAssertFalse(untracked.isTracked, "ops on untracked tensors record nothing")
        let grads = tape.backward(y)
        XCTAssertEqual(grads[x]?.scalars(), [2, 4, 6])
        XCTAssertTrue(tape.isFinished)
        XCTAssertFalse((x * 3).isTracked, "a finished tape records nothing")
        // Unused branches get no gradient; a dropped tape stops recording.
        var other: Tape? = Tape()
        let z = other!.watch(Tensor(shape: [1], scalars: [1]))
        other = nil
        XCTAssertFalse((z + 1).isTracked)
    }

    func testCachingAllocatorReusesBuffers() {
        let backend = CPUBackend(cacheLimitBytes: 64 << 20)
        var a: Tensor? = Tensor.zeros([1 << 20], on: backend)
        let live = backend.memoryStatistics.liveBytes
        XCTAssertGreaterThanOrEqual(live, 4 << 20)
        a = nil
        XCTAssertEqual(backend.memoryStatistics.liveBytes, 0)
        XCTAssertEqual(backend.memoryStatistics.cachedBytes, live)
        let b = Tensor.zeros([1 << 20 - 100], on: backend)   // same bucket: reused
        XCTAssertEqual(backend.memoryStatistics.cachedBytes, 0)
        XCTAssertEqual(b.scalars().count, (1 << 20) - 100)
        XCTAssertNil(a)
        backend.emptyCache()
    }

    func testRandomGeneratorIsDeterministic() {
        var r1 = RandomGenerator(seed: 42), r2 = RandomGenerator(seed: 42), r3 = RandomGenerator(seed: 43)
        let a = Tensor.normal([100], generator: &r1).scalars()
        XCTAssertEqual(a, Tensor.normal([100], generator: &r2).scalars())
        XCTAssertNotEqual(a, Tensor.normal([100], generator: &r3).scalars())
        let mean = a.reduce(0, +) / 100
        XCTAssertLessThan(Swift.abs(mean), 0.3)
        let u = Tensor.uniform([1000], lower: -2, upper: 3, generator: &r1).scalars()
        XCTAssertTrue(u.allSatisfy { $0 >= -2 && $0 < 3 })
    }
}

import Foundation
