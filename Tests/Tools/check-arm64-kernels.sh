#!/usr/bin/env bash
# Compiles what can be compiled for arm64 on an x86-64 Linux toolchain that has no arm64 Linux SDK:
# the CPU detection (C, freestanding) for aarch64 Linux and arm64 macOS, the KernelsAVX512 target
# (empty off x86-64) and the portable SIMD8 GEMM micro-kernels and packing with Embedded Swift for
# aarch64 (they need no OS). Prints the NEON FMA count of the kernels' object. Nothing is linked or
# run: the rest of Kernels needs libc and threads, i.e. a real arm64 SDK.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
for target in aarch64-linux-gnu arm64-apple-macos14; do
    clang -target "$target" -ffreestanding -O2 -c -ISources/CPUFeatures/include Sources/CPUFeatures/cpu_features.c -o "$out/cpu-$target.o"
done
embedded=(-target aarch64-none-none-elf -enable-experimental-feature Embedded -wmo -parse-as-library -O)
swiftc "${embedded[@]}" -module-name KernelsAVX512 -emit-object Sources/KernelsAVX512/*.swift -o "$out/avx512.o"
echo 'enum KernelISA { case avx2, avx512 }  // stand-in for KernelISA.swift (needs libc)' > "$out/stub.swift"
swiftc "${embedded[@]}" -enable-testing -module-name Kernels -emit-object "$out/stub.swift" \
    Sources/Kernels/GEMMKernel.swift Sources/Kernels/GEMMPacking.swift -o "$out/kernels.o"
objdump=$(command -v llvm-objdump || echo "$(dirname "$(command -v swiftc)")/llvm-objdump")
echo "arm64 objects in $out: $(ls "$out"/*.o | wc -l); NEON fmla in the GEMM kernels: $("$objdump" -d "$out/kernels.o" | grep -c fmla)"
