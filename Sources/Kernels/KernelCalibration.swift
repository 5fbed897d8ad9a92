#if arch(x86_64)
import KernelsAVX512
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-off measurement (about a millisecond, at first use of the kernels) of the two GEMM
/// micro-kernels on L1-resident panels, for CPUs with AVX-512 that the dispatch table does not
/// know: AVX-512 is taken when it does at least `margin` times the SIMD8 kernel's flops per second.
/// Both paths compute bitwise-identical results, so the choice only ever changes speed.
enum KernelCalibration {
    static let margin = 1.15

    /// Flops per second of the AVX-512 8×32 tile over the SIMD8 6×16 tile (best of a few trials).
    static func avx512SpeedRatio() -> Double {
        #if arch(x86_64)
        let kc = 256, calls = 64, trials = 5
        let a = UnsafeMutableRawPointer.allocate(byteCount: 8 * kc * 4, alignment: 64).bindMemory(to: Float.self, capacity: 8 * kc)
        let b = UnsafeMutableRawPointer.allocate(byteCount: 32 * kc * 4, alignment: 64).bindMemory(to: Float.self, capacity: 32 * kc)
        let c = UnsafeMutablePointer<Float>.allocate(capacity: 8 * 32)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        a.initialize(repeating: 0.5, count: 8 * kc)
        b.initialize(repeating: 0.25, count: 32 * kc)
        c.initialize(repeating: 0, count: 8 * 32)
        func best(_ body: () -> Void) -> Double {
            var fastest = Double.infinity
            for _ in 0..<trials {
                let start = now()
                for _ in 0..<calls { body() }
                fastest = min(fastest, now() - start)
            }
            return fastest
        }
        let simd8 = best { gemmMicroKernel6x16(kc, a, b, c, 16, alpha: 1, beta: 0) } / Double(6 * 16)
        let avx512 = best { avx512PackedKernel8x32(kc, a, b, b + 16 * kc, c, 32, alpha: 1, beta: 0, rowBias: nil) } / Double(8 * 32)
        return avx512 > 0 ? simd8 / avx512 : 1
        #else
        return 0
        #endif
    }

    private static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
