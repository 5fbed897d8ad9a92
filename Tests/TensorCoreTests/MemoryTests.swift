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

    /// A host buffer becomes a tensor without a copy: the live bytes do not grow at the hand-over,
    /// the values written are the tensor's, a shape smaller than the buffer is allowed, and the
    /// memory goes back to the allocator with the tensor.
    func testHostBufferBecomesATensorWithoutACopy() {
        let backend = CPUBackend(cacheLimitBytes: 0)
        let baseline = backend.memoryStatistics.liveBytes
        do {
            let buffer = backend.hostBuffer(byteCount: 6 * 4)
            let floats = buffer.floats(6)
            for i in 0..<6 { floats[i] = Float(i) * 1.5 }
            let afterWrite = backend.memoryStatistics.liveBytes
            let full = backend.tensor(from: buffer, shape: [2, 3], dtype: .float32)
            let part = backend.tensor(from: buffer, shape: [4], dtype: .float32)
            XCTAssertEqual(backend.memoryStatistics.liveBytes, afterWrite, "no second allocation")
            XCTAssertEqual(full.scalars(), [0, 1.5, 3, 4.5, 6, 7.5])
            XCTAssertEqual(part.scalars(), [0, 1.5, 3, 4.5])
        }
        XCTAssertEqual(backend.memoryStatistics.liveBytes, baseline, "released with the tensors")
    }

    /// A buffer from another backend is copied, not adopted.
    func testHostBufferOfAnotherBackendIsUploaded() {
        let source = CPUBackend(cacheLimitBytes: 0), target = CPUBackend(cacheLimitBytes: 0)
        let buffer = source.hostBuffer(byteCount: 8)
        buffer.floats(2).update(from: [2.5, -1], count: 2)
        let tensor = target.tensor(from: buffer, shape: [2], dtype: .float32)
        XCTAssertTrue(tensor.storage.backend === target)
        buffer.floats(2)[0] = 9
        XCTAssertEqual(tensor.scalars(), [2.5, -1])
    }
}
