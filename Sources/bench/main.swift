// bench: speed measurements of the project's kernels. One JSON line per case on stdout.
//   swift run -c release bench gemm --m 1024 --n 1024 --k 1024 [--threads 2] [--transpose-a] [--transpose-b]
//   swift run -c release bench conv --batch 4 --cin 64 --cout 64 --height 96 --width 320 --kernel 3 --stride 1
//                                   [--pad 1] [--backward] [--part forward|input|weight] [--threads 2]
//   swift run -c release bench decode-jpeg --file F | decode-png --file F | load-pth --file F
//   swift run -c release bench resize-lanczos --file F.jpg --width 640 --height 192
//   swift run -c release bench infer --height 192 --width 640 --batch 1 [--threads 2] [--modules]
//   swift run -c release bench ssim --batch 12 --channels 3 --height 192 --width 640 [--backward]
//   swift run -c release bench train-step --height 64 --width 192 --batch 12 --frame_ids 0 -1 1 --use_stereo (TrainStepBench.swift)
//   swift run -c release bench loader --data_path D --split_file F --height 192 --width 640 --batch 12 --num_workers 2 (LoaderBench.swift)
//   mpirun -np 2 .build/release/bench allreduce [--floats 27000000] [--repeats 10] [--check] [--nonblocking [--sleep S]]
//                                               [--timeout S] [--chunk C] [--progress] [--fault kill|stop ...]
//                                               (AllreduceBench.swift; alone: a world of 1)
// Common flags: --samples N (default 7), --min-sample-seconds S (default 0.05).
// Each case: one warm-up call, then N samples, each repeating the call until it lasts ≥ 50 ms;
// the JSON line has name, median_s/min_s/max_s (per call), gflops, peak_rss_mb, cpu, threads, shape.
#if canImport(Glibc)
import Glibc
#endif
import CommandLineKit

let cases: [String: (BenchFlags) throws -> Void] = [
    "gemm": runGEMMBench,
    "conv": runConvBench,
    "decode-jpeg": runDecodeJPEGBench,
    "decode-png": runDecodePNGBench,
    "resize-lanczos": runResizeLanczosBench,
    "load-pth": runLoadCheckpointBench,
    "infer": runInferBench,
    "infer-profile": runInferProfile,
    "ssim": runSSIMBench,
    "allreduce": runAllreduceBench,
]

/// Cases that parse their own flags (through the shared options table).
let commandLineCases: [String: ([String]) throws -> Void] = [
    "loader": runLoaderBench,
    "train-step": runTrainStepBench,
]

ProcessMemory.keepFreedBlocks()  // as every tool's runMain does: the same allocator as train
let arguments = Array(CommandLine.arguments.dropFirst())
if let name = arguments.first, let run = commandLineCases[name] {
    do {
        try run(Array(arguments.dropFirst()))
        exit(0)
    } catch let CommandLineError.helpRequested(text) {
        print(text)
        exit(0)
    } catch {
        printError("bench \(name): \(error)")
        exit(2)
    }
}
guard let name = arguments.first, let run = cases[name] else {
    let known = (Array(cases.keys) + Array(commandLineCases.keys)).sorted().joined(separator: ", ")
    printError("usage: bench CASE [--flag value ...]; cases: \(known)")
    exit(2)
}
do {
    try run(try BenchFlags(Array(arguments.dropFirst())))
} catch {
    printError("bench \(name): \(error)")
    exit(2)
}

/// Writes one line to standard error.
func printError(_ line: String) {
    let text = line + "\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
}
