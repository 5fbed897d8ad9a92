import CPUFeatures
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The instruction set a kernel family runs on. `.avx2` is the portable SIMD8 code this module is
/// built with (AVX2 + FMA on x86-64, NEON on arm64); `.avx512` is the SIMD16 code of the separate
/// `KernelsAVX512` target, which is only ever called after `KernelDispatch` has seen AVX-512 in
/// CPUID and zmm state enabled by the OS.
public enum KernelISA: String, Sendable, CustomStringConvertible {
    case avx2
    case avx512

    public var description: String { rawValue }
}

/// The run-time ISA choice, made once per process from CPUID, per kernel family, and overridable
/// with `MD2_KERNELS` in the environment: `avx2` forces the portable path everywhere (tests,
/// comparisons), `avx512` forces AVX-512 where the CPU has it (ignored where it does not), `auto`
/// or unset lets the table below decide.
///
/// Families: `gemm` (SGEMM, the implicit-im2col, shifted and Winograd convolutions, weight and
/// input gradients) and `directConv` (the decoder's few-channel direct convolutions). Both are
/// FMA-throughput bound, so one measured rule serves both:
/// - AMD Zen 4 (family 0x19 with AVX-512): AVX-512. Its 256-bit FMA units split zmm operations, and
///   the SIMD8 6×16 tile matches the 8×32 tile on L1-resident panels (so `KernelCalibration` would
///   not pick it), but whole operations gain from the larger tile (less packing and loop overhead per
///   flop). Measured on a Zen 4 (family 25 model 17), 2 threads, interleaved rounds, AVX2 → AVX-512:
///   conv layer1 forward 73-77 → 56-66 ms, forward + backward 200-222 → 170-190 ms, inference
///   640×192 129-168 → 98-121 ms, training step 640×192 b4 4.46-4.63 → 4.01-4.13 s.
///   (SWIFT-PERFORMANCE-NOTES.md §2 found no gain with the earlier AVX-512 tilings.)
/// - AMD Zen 5 (family 0x1A): AVX-512. Full 512-bit FMA units; measured about 2× the SIMD8 kernels.
/// - Any other CPU with AVX-512 (Intel Xeons have one or two 512-bit FMA units, future parts are
///   unknown): measured at first use, `KernelCalibration`.
public enum KernelDispatch {
    /// The CPU as detected (x86-64: CPUID + XGETBV; elsewhere no features).
    static let cpu: md2_cpu_features = md2_cpu_detect()

    /// Whether AVX-512 code may run here at all (CPU and OS), whatever the override says.
    public static var avx512Supported: Bool {
        #if arch(x86_64)
        return cpu.avx512 != 0
        #else
        return false
        #endif
    }

    /// The CPU's vendor string, e.g. "AuthenticAMD" (empty when unknown).
    public static var vendor: String {
        withUnsafeBytes(of: cpu.vendor) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// `MD2_KERNELS` as read at start-up (nil when unset or `auto`).
    static let forced: KernelISA? = {
        guard let text = getenv("MD2_KERNELS") else { return nil }
        return KernelISA(rawValue: String(cString: text).lowercased())
    }()

    /// The choice for the FMA-bound families, made once, and why (see the table above).
    static let fmaBound: (isa: KernelISA, reason: String) = {
        guard avx512Supported else { return (.avx2, "no AVX-512") }
        if let forced { return (forced, "MD2_KERNELS=\(forced)") }
        if vendor == "AuthenticAMD" && cpu.family == 0x19 { return (.avx512, "Zen 4: 8x32 tiles measured faster") }
        if vendor == "AuthenticAMD" && cpu.family == 0x1A { return (.avx512, "Zen 5: 512-bit FMA units") }
        let ratio = KernelCalibration.avx512SpeedRatio()
        let text = "measured AVX-512/AVX2 tile speed \((ratio * 100).rounded() / 100)"
        return (ratio >= KernelCalibration.margin ? .avx512 : .avx2, text)
    }()

    /// SGEMM and every convolution path built on the GEMM tiles.
    public static var gemm: KernelISA { fmaBound.isa }
    /// The direct few-channel convolution.
    public static var directConv: KernelISA { fmaBound.isa }

    /// One line for logs and bench output, e.g. "gemm=avx512 directConv=avx512 (AuthenticAMD family 0x1a)".
    public static var summary: String {
        "gemm=\(gemm) directConv=\(directConv) [\(fmaBound.reason)] (\(vendor.isEmpty ? "unknown CPU" : vendor) family 0x\(String(cpu.family, radix: 16)) model 0x\(String(cpu.model, radix: 16)), avx512 \(avx512Supported ? "present" : "absent"))"
    }
}
