// swift-tools-version:6.0
// Monodepth2 for Swift: self-supervised monocular depth (Monodepth2, ICCV 2019) on CPU, no dependencies.
import PackageDescription

/// AVX2 + FMA code generation (portable to every x86-64 machine here, Zen 3 and Zen 4; see
/// SWIFT-PERFORMANCE-NOTES.md §1) and `-O` in debug builds too, so plain `swift test` is not
/// 250x slower on numeric code.
#if arch(x86_64)
let optimized: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-march=x86-64-v3"]),
    .unsafeFlags(["-O"], .when(configuration: .debug)),
]
#else
let optimized: [SwiftSetting] = [
    .unsafeFlags(["-O"], .when(configuration: .debug)),
]
#endif

/// The kernel target additionally drops exclusivity checks (hot loops never touch class state).
let kernelSettings: [SwiftSetting] = optimized + [
    .unsafeFlags(["-enforce-exclusivity=unchecked"]),
]

/// The AVX-512 kernels: a target of their own, so zmm code cannot leak into the AVX2 paths. Only
/// called after the CPUID check (Kernels/KernelISA.swift). x86 flags on x86-64 hosts only; elsewhere
/// the target compiles empty and `optimized` carries no -march.
#if arch(x86_64)
let avx512Settings: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-march=x86-64-v4", "-enforce-exclusivity=unchecked"]),
    .unsafeFlags(["-O"], .when(configuration: .debug)),
]
#else
let avx512Settings: [SwiftSetting] = optimized
#endif

let package = Package(
    name: "Monodepth2",
    platforms: [.macOS(.v15)],
    products: [
        // Libraries for Swift callers: the facades below, with a small documented API (README, "Use
        // it as a library"). Every other target is internal: its API may change in any commit.
        .library(name: "Monodepth2", targets: ["Monodepth2"]),
        .library(name: "Monodepth2Training", targets: ["Monodepth2Training"]),
        .executable(name: "demo", targets: ["demo"]),
        .executable(name: "evaluate", targets: ["evaluate"]),
        .executable(name: "export-gt", targets: ["export-gt"]),
        .executable(name: "bench", targets: ["bench"]),
        .executable(name: "train", targets: ["train"]),
        .executable(name: "synth-kitti", targets: ["synth-kitti"]),
        .executable(name: "quickstart", targets: ["quickstart"]),
        .executable(name: "export-onnx", targets: ["export-onnx"]),
    ],
    targets: [
        // Layer 0: raw-pointer kernels, codecs, argument parsing. No tensors, no autodiff.
        .target(name: "CPUFeatures"),
        .target(name: "KernelsAVX512", swiftSettings: avx512Settings),
        .target(name: "Kernels", dependencies: ["CPUFeatures", "KernelsAVX512"], swiftSettings: kernelSettings),
        .target(name: "Codecs", swiftSettings: optimized),
        .target(name: "CommandLineKit"),
        // The original options.py, declared once (train, evaluate and bench share it).
        .target(name: "Options", dependencies: ["CommandLineKit"]),
        // Layer 1: tensors + autodiff over one backend boundary; image and array file formats.
        .target(name: "TensorCore", dependencies: ["Kernels"], swiftSettings: optimized),
        // layers.py: the camera geometry, the pose matrices, disp_to_depth, SSIM and the photometric
        // error (fused kernels), the smoothness loss, compute_depth_errors, ConvBlock/Conv3x3.
        .target(name: "Layers", dependencies: ["TensorCore", "Kernels"], swiftSettings: optimized),
        .target(name: "ImageIO", dependencies: ["Codecs", "Kernels"], swiftSettings: optimized),
        .target(name: "ArrayIO", dependencies: ["Codecs"], swiftSettings: optimized),
        // Layer 2: the Monodepth2 networks and checkpoint bridge.
        .target(name: "Networks", dependencies: ["Layers", "TensorCore", "ArrayIO", "Options"], swiftSettings: optimized),
        // Layer 3: data (images as tensors, KITTI layouts), then evaluation (metrics, KITTI ground truth).
        .target(name: "KITTIData", dependencies: ["Kernels", "TensorCore", "ImageIO", "ArrayIO", "Options"], swiftSettings: optimized),
        .target(name: "Evaluation", dependencies: ["Networks", "KITTIData", "Kernels", "TensorCore", "ImageIO", "ArrayIO", "Options", "CommandLineKit", "Layers"], swiftSettings: optimized),
        // Layer 3b: the synthetic KITTI-format world (procedural street, stereo rig, lidar).
        .target(name: "Synth", dependencies: ["ImageIO", "ArrayIO", "Kernels"], swiftSettings: optimized),
        // Layer 4: training (camera geometry losses, the step, trainer, checkpoints) and TensorBoard logs.
        .target(name: "TensorBoard", dependencies: ["Codecs", "ImageIO"], swiftSettings: optimized),
        .target(name: "Training", dependencies: ["Networks", "KITTIData", "Kernels", "TensorCore", "ArrayIO", "Options", "TensorBoard", "CommandLineKit", "Layers", "Distributed"], swiftSettings: optimized),
        // Layer 4b: the networks as ONNX models (graph builder over Codecs' protobuf writer).
        .target(name: "ONNX", dependencies: ["Networks", "TensorCore", "Codecs"], swiftSettings: optimized),
        // The formula weights of the PyTorch parity fixtures (tests and `bench`).
        .target(name: "ParityWeights", dependencies: ["Kernels", "TensorCore", "ArrayIO"], swiftSettings: optimized),
        // Data-parallel training's communicator boundary: one process, or MPI loaded at run time (dlopen).
        .target(name: "Distributed", swiftSettings: optimized),
        // Layer 5: the public facades of the library products (inference and I/O; training).
        .target(name: "Monodepth2", dependencies: ["ArrayIO", "ImageIO", "KITTIData", "Layers", "Networks", "TensorCore"], swiftSettings: optimized),
        .target(name: "Monodepth2Training", dependencies: ["Training", "Options", "CommandLineKit"], swiftSettings: optimized),
        // Test support (tests only): fixture lookup, npy loading, tolerances, gradient checks.
        .target(name: "TestSupport", dependencies: ["TensorCore", "ArrayIO", "ParityWeights"], swiftSettings: optimized),

        // Executables: thin front ends over the libraries.
        .executableTarget(name: "bench", dependencies: ["Kernels", "TensorCore", "ImageIO", "ArrayIO", "Networks", "KITTIData", "CommandLineKit", "Options", "Training", "ParityWeights", "Layers", "Distributed"], swiftSettings: optimized),
        .executableTarget(name: "demo", dependencies: ["Monodepth2", "CommandLineKit"], swiftSettings: optimized),
        .executableTarget(name: "evaluate", dependencies: ["Evaluation", "CommandLineKit"], swiftSettings: optimized),
        .executableTarget(name: "train", dependencies: ["Training", "Options", "CommandLineKit"], swiftSettings: optimized),
        // The README's first command: synthetic world, a small training run, evaluation, a depth picture.
        .executableTarget(name: "quickstart", dependencies: ["Training", "Synth", "Evaluation", "Options", "Networks", "KITTIData", "ImageIO", "TensorCore", "CommandLineKit"], swiftSettings: optimized),
        .executableTarget(name: "synth-kitti", dependencies: ["Synth", "Evaluation", "CommandLineKit"], swiftSettings: optimized),
        .executableTarget(name: "export-onnx", dependencies: ["ONNX", "Networks", "TensorCore", "ArrayIO", "Layers", "CommandLineKit"], swiftSettings: optimized),
        .executableTarget(name: "export-gt", dependencies: ["Evaluation", "CommandLineKit"], swiftSettings: optimized),

        .testTarget(name: "KernelsTests", dependencies: ["Kernels"], swiftSettings: optimized),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "Kernels", "ParityWeights", "TestSupport"], swiftSettings: optimized),
        .testTarget(name: "LayersTests", dependencies: ["Layers", "TensorCore", "TestSupport"], swiftSettings: optimized),
        .testTarget(name: "CodecsTests", dependencies: ["Codecs", "Kernels", "TestSupport"], swiftSettings: optimized),
        .testTarget(name: "ImageIOTests", dependencies: ["ImageIO", "Codecs", "ArrayIO", "Kernels", "TestSupport"], swiftSettings: optimized),
        .testTarget(name: "ArrayIOTests", dependencies: ["ArrayIO", "Kernels", "ParityWeights", "TestSupport"], swiftSettings: optimized),
        .testTarget(name: "NetworksTests", dependencies: ["Networks", "TensorCore", "ImageIO", "ArrayIO", "ParityWeights", "TestSupport", "Layers", "Options"], swiftSettings: optimized),
        .testTarget(name: "KITTIDataTests", dependencies: ["KITTIData", "TensorCore", "ImageIO", "ArrayIO", "Options", "TestSupport"], swiftSettings: optimized),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Networks", "KITTIData", "ImageIO", "ArrayIO", "Options", "CommandLineKit", "ParityWeights", "TestSupport"], swiftSettings: optimized),
        .testTarget(name: "OptionsTests", dependencies: ["Options", "CommandLineKit", "TestSupport"]),
        .testTarget(name: "SynthTests", dependencies: ["Synth", "Evaluation", "KITTIData", "ImageIO", "ArrayIO", "Kernels", "TensorCore", "Options"], swiftSettings: optimized),
        .testTarget(name: "TensorBoardTests", dependencies: ["TensorBoard", "ImageIO", "ArrayIO", "TestSupport"], swiftSettings: optimized),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Networks", "KITTIData", "Options", "Synth", "Kernels", "TensorCore", "ImageIO", "ArrayIO", "TensorBoard", "CommandLineKit", "ParityWeights", "TestSupport", "Layers"], swiftSettings: optimized),
        .testTarget(name: "CommandLineKitTests", dependencies: ["CommandLineKit"]),
        .testTarget(name: "ONNXTests", dependencies: ["ONNX", "Networks", "TensorCore", "ArrayIO", "Options", "TestSupport"], swiftSettings: optimized),
        .testTarget(name: "LibraryTests", dependencies: ["Monodepth2", "Monodepth2Training", "Synth", "TestSupport"], swiftSettings: optimized),
        .testTarget(name: "DistributedTests", dependencies: ["Distributed", "TestSupport"], swiftSettings: optimized),
    ]
)
