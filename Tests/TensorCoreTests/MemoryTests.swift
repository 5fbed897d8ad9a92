import TensorCore
import XCTest

/// The tape keeps only what backward needs and releases it as backward consumes it
/// (byte counts from a backend without a buffer cache, so live bytes are exact bucket sizes).
final class MemoryTests: XCTestCase {
    func testBackwardReleasesSavedTensorsAndGradients() {
        let backend = CPUBackend(cacheLimitBytes: 0)
        let megabyte = 1 << 20, n = megabyte / 4
        var rng = RandomGenerator(seed: 5)
        let input = Tensor.uniform([n], lower: -1, upper: 1, generator: &rng, on: backend)
        let baseline = backend.memoryStatistics.liveBytes
        var peakDuringBackward = 0
        do {
            let tape = Tape()
            let leaf = tape.watch(input)
            var x = leaf
            for _ in 0..<8 { x = x.elu() }   // each ELU keeps its output (1 MB), as torch does
            let loss = x.sum()
            let afterForward = backend.memoryStatistics.liveBytes - baseline
            XCTAssertEqual(afterForward, 8 * megabyte + 64, "8 saved outputs + the loss scalar")
            backend.resetPeakMemory()
            let grads = tape.backward(loss)
            peakDuringBackward = backend.memoryStatistics.peakLiveBytes - baseline
            XCTAssertNil(grads[x], "only watched leaves are returned")
            XCTAssertEqual(grads[leaf]?.shape, [n])
        }
        // Saved outputs are freed node by node: the peak stays below forward + 2 gradients.
        XCTAssertLessThanOrEqual(peakDuringBackward, 10 * megabyte + 4096)
        XCTAssertEqual(backend.memoryStatistics.liveBytes, baseline, "nothing leaks after the step")
    }
}
