#ifndef MD2_CPU_FEATURES_H
#define MD2_CPU_FEATURES_H

/// What the CPU and the OS let this process run (x86-64: CPUID + XGETBV; elsewhere all zero).
typedef struct {
    /// AVX2 and FMA, with the OS saving ymm state.
    int avx2Fma;
    /// AVX-512 F, CD, BW, DQ and VL (x86-64-v4), with the OS saving opmask and zmm state.
    int avx512;
    /// CPUID family (base + extended) and model (with the extended model), 0 when unknown.
    unsigned family;
    unsigned model;
    /// "GenuineIntel", "AuthenticAMD", ... (empty when unknown), NUL-terminated.
    char vendor[13];
} md2_cpu_features;

md2_cpu_features md2_cpu_detect(void);

#endif
