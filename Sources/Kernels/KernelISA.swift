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
/// Families and the measurements behind their defaults (2 threads, same sitting as the reference;
/// figures in the avx512 branch's report and the README):
/// - `gemm` (SGEMM, the implicit-im2col, shifted and Winograd convolutions, weight and input
///   gradients): AVX-512 on every CPU with it except AMD Zen 4 (family 0x19), whose 256-bit FMA
///   units split zmm operations; there the SIMD8 6×16 tiles matched every AVX-512 tiling
///   (SWIFT-PERFORMANCE-NOTES.md §2). Zen 5 (family 0x1A) has full 512-bit FMA units.
/// - `directConv` (the decoder's few-channel direct convolutions): same rule.
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

    /// Where AVX-512 pays on this CPU when nothing is forced (see the table above).
    static var avx512Preferred: Bool {
        !(vendor == "AuthenticAMD" && cpu.family == 0x19)
    }

    static func choose() -> KernelISA {
        guard avx512Supported else { return .avx2 }
        if let forced { return forced }
        return avx512Preferred ? .avx512 : .avx2
    }

    /// SGEMM and every convolution path built on the GEMM tiles.
    public static let gemm: KernelISA = choose()
    /// The direct few-channel convolution.
    public static let directConv: KernelISA = choose()

    /// One line for logs and bench output, e.g. "gemm=avx512 directConv=avx512 (AuthenticAMD family 0x1a)".
    public static var summary: String {
        "gemm=\(gemm) directConv=\(directConv) (\(vendor.isEmpty ? "unknown CPU" : vendor) family 0x\(String(cpu.family, radix: 16)) model 0x\(String(cpu.model, radix: 16)), avx512 \(avx512Supported ? "present" : "absent"))"
    }
}
