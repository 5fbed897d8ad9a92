// CPU feature detection for the kernels' run-time dispatch. Compiles on every architecture; only
// x86-64 reports features (CPUID for what the silicon has, XGETBV for what the OS saves on a
// context switch: a zmm instruction without OS support faults like a missing instruction).
#include "cpu_features.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static unsigned long long xgetbv0(void) {
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

md2_cpu_features md2_cpu_detect(void) {
    md2_cpu_features f = {0};
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx)) return f;
    unsigned int maxLeaf = eax;
    unsigned int words[3] = {ebx, edx, ecx};  // "Genu" "ineI" "ntel"
    for (int i = 0; i < 12; i++) f.vendor[i] = (char)(words[i / 4] >> (8 * (i % 4)));
    f.vendor[12] = 0;
    if (maxLeaf < 1) return f;
    __get_cpuid(1, &eax, &ebx, &ecx, &edx);
    unsigned int baseFamily = (eax >> 8) & 0xF, baseModel = (eax >> 4) & 0xF;
    f.family = baseFamily == 0xF ? baseFamily + ((eax >> 20) & 0xFF) : baseFamily;
    f.model = (baseFamily == 0x6 || baseFamily == 0xF) ? (((eax >> 16) & 0xF) << 4) | baseModel : baseModel;
    int fma = (ecx >> 12) & 1, osxsave = (ecx >> 27) & 1, avx = (ecx >> 28) & 1;
    if (!osxsave || !avx || maxLeaf < 7) return f;
    unsigned long long xcr0 = xgetbv0();
    int ymmState = (xcr0 & 0x6) == 0x6;                 // SSE + AVX state
    int zmmState = ymmState && (xcr0 & 0xE0) == 0xE0;   // opmask, ZMM_Hi256, Hi16_ZMM
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    int avx2 = (ebx >> 5) & 1;
    int avx512 = ((ebx >> 16) & 1) && ((ebx >> 17) & 1) && ((ebx >> 28) & 1)   // F, DQ, CD
              && ((ebx >> 30) & 1) && ((ebx >> 31) & 1);                       // BW, VL
    f.avx2Fma = ymmState && avx2 && fma;
    f.avx512 = f.avx2Fma && zmmState && avx512;
    return f;
}

#else

md2_cpu_features md2_cpu_detect(void) {
    md2_cpu_features f = {0};
    return f;
}

#endif
