import ArrayIO
import CommandLineKit
import Foundation
import ImageIO
import KITTIData
import Options
import Training
import TensorCore

// bench loader: the training data pipeline (KITTIData's DataLoader) with augmentation on.
//   bench loader --data_path D [--split_file F | --split eigen_zhou] --height 192 --width 640 --batch 12
//                --num_workers 2 [--frame_ids 0 -1 1] [--use_stereo] [--png] [--dataset kitti|kitti_odom|folder]
//                [--scales 0 1 2 3] [--seed 0] [--batches 20]   (options.py flags parsed by the Options module)
//   prints {"name": "loader", "samples_per_s": ...}; compare with Tests/Tools/loader_original.py (the
//   original's DataLoader) on the same files in the same sitting.
//   bench loader --dump DIR --index I [--flip 0|1] [--color_aug 0|1] [same sample flags]
//   writes item I as .npy files named like reference/torch/loss/inputs (color_{f}_{s}, color_aug_{f}_{s},
//   K_{s}, inv_K_{s}, stereo_T, depth_gt, each with a batch dimension of 1) and prints the choices used.

/// bench loader's flags: the training flags that shape a sample come from the shared options table.
struct LoaderBenchFlags {
    var options: MonodepthOptions
    var batch: Int
    var splitFile: String?
    var batches: Int
    var dump: String?
    var index: Int
    var flip: String
    var colorAug: String

    init(_ arguments: [String]) throws(CommandLineError) {
        var flags = FlagSet(program: "bench loader",
                            overview: "Samples per second of the training data loader (augmentation on), or one item dumped as .npy files.")
        var defaults = MonodepthOptions()
        defaults.numWorkers = 2
        let declared = flags.include(OptionTable.entries(named: ["data_path", "split", "dataset", "png", "height", "width",
                                                                 "scales", "use_stereo", "frame_ids", "num_workers", "seed",
                                                                 "intrinsics", "frame_stride", "val_every", "stereo_baseline"]),
                                     defaults: defaults)
        flags.group("bench loader")
        let batch = flags.option("batch", default: 12, help: "batch size")
        let splitFile = flags.optionalOption("split_file", type: String.self,
                                             help: "the split list (default: splits/<split>/train_files.txt)")
        let batches = flags.option("batches", default: 20, help: "batches timed (after one warm-up batch)")
        let dump = flags.optionalOption("dump", type: String.self, help: "write item --index as .npy files to this folder")
        let index = flags.option("index", default: 0, help: "the item --dump writes (0-based line of the split)")
        let flip = flags.option("flip", default: "random", choices: ["random", "0", "1"], help: "--dump: force the flip off or on")
        let colorAug = flags.option("color_aug", default: "random", choices: ["random", "0", "1"],
                                    help: "--dump: force the colour jitter off or on")
        let parsed = try flags.parse(arguments)
        options = declared.options(from: parsed)
        self.batch = parsed[batch]
        self.splitFile = parsed[splitFile]
        self.batches = parsed[batches]
        self.dump = parsed[dump]
        self.index = parsed[index]
        self.flip = parsed[flip]
        self.colorAug = parsed[colorAug]
    }
}

func runLoaderBench(_ arguments: [String]) throws {
    let flags = try LoaderBenchFlags(arguments)
    let options = flags.options
    let (height, width, batchSize, workers, seed, batches) = (options.height, options.width, flags.batch, options.numWorkers,
                                                              options.seed, flags.batches)
    let (dump, index, flip, colorAug) = (flags.dump, flags.index, flags.flip, flags.colorAug)
    let frameIDs = options.derived.frameIDs
    let source = try TrainingSource(options: options)
    var config: KITTIDatasetConfig
    if case .kitti(let kind) = source {
        let splitFile = flags.splitFile
            ?? SplitsDirectory.locate().appendingPathComponent(options.split.rawValue).appendingPathComponent("train_files.txt").path
        config = try KITTIDatasetConfig(kind: kind, dataPath: URL(fileURLWithPath: options.dataPath),
                                        splitURL: URL(fileURLWithPath: splitFile), height: height, width: width,
                                        frameIDs: frameIDs, numScales: options.scales.count, png: options.png, isTrain: true)
    } else {
        // --dataset folder: the generated training list, written to a temporary folder.
        config = try source.config(options: options, list: "train_files.txt", isTrain: true,
                                   record: FileManager.default.temporaryDirectory.appendingPathComponent("md2-bench-splits-\(getpid())"))
        config.numScales = options.scales.count
    }
    let data = try KITTIDataset(config)
    if let dump {
        guard index < data.count else { throw BenchFlags.Problem(description: "--index \(index): the split has \(data.count) items") }
        let random = data.augmentation(index: index, seed: UInt64(seed), epoch: 0)
        var augmentation = random
        if flip != "random" { augmentation.flip = flip == "1" }
        if colorAug == "0" { augmentation.jitter = nil }
        if colorAug == "1" && augmentation.jitter == nil {
            // Forced on for an item that drew none: its jitter parameters from the next epochs' draws.
            var epoch = 1
            while augmentation.jitter == nil {
                augmentation.jitter = data.augmentation(index: index, seed: UInt64(seed), epoch: epoch).jitter
                epoch += 1
            }
        }
        try dumpSample(data.batch([index], augmentations: [augmentation]), to: URL(fileURLWithPath: dump))
        print("{\"name\": \"loader-dump\", \"index\": \(index), \"line\": \(data.entries[index].line), \"flip\": \(augmentation.flip), "
              + "\"jitter\": \(jitterJSON(augmentation.jitter)), \"dir\": \(quoted(dump))}")
        return
    }

    let loader = DataLoader(dataset: data, batchSize: batchSize, shuffle: true, dropLast: true, numWorkers: workers, seed: UInt64(seed))
    guard loader.batchesPerEpoch > 0 else { throw BenchFlags.Problem(description: "the split has fewer items than one batch") }
    var epoch = 0
    var iterator = loader.epoch(epoch)
    func nextBatch() throws -> Batch {
        if let batch = try iterator.next() { return batch }
        epoch += 1
        iterator = loader.epoch(epoch)
        return try nextBatch()
    }
    _ = try nextBatch()  // warm-up: threads started, first batch built
    let start = now()
    for _ in 0..<max(1, batches) { _ = try nextBatch() }
    let seconds = now() - start
    let samples = Double(max(1, batches) * batchSize)
    print("{\"name\": \"loader\", \"samples_per_s\": \(format(samples / seconds, digits: 2)), \"seconds\": \(format(seconds)), "
          + "\"batches\": \(max(1, batches)), \"batch\": \(batchSize), \"num_workers\": \(workers), \"height\": \(height), "
          + "\"width\": \(width), \"frame_ids\": \(quoted(frameIDs.map(\.description).joined(separator: " "))), "
          + "\"depth_gt\": \(data.loadsDepth), \"peak_rss_mb\": \(format(peakRSSMegabytes(), digits: 1)), \"cpu\": \(quoted(cpuDescription()))}")
}

/// The choices as JSON: `[["hue", "-0.0734"], ...]` in the order applied, or null.
private func jitterJSON(_ jitter: ColorJitter?) -> String {
    guard let jitter else { return "null" }
    let items = jitter.adjustments.map { adjustment -> String in
        switch adjustment {
        case .brightness(let f): return "[\"brightness\", \"\(f)\"]"
        case .contrast(let f): return "[\"contrast\", \"\(f)\"]"
        case .saturation(let f): return "[\"saturation\", \"\(f)\"]"
        case .hue(let f): return "[\"hue\", \"\(f)\"]"
        }
    }
    return "[" + items.joined(separator: ", ") + "]"
}

private func dumpSample(_ batch: Batch, to directory: URL) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    func save(_ tensor: Tensor, _ name: String) throws {
        try NPY.write(NDArray(shape: tensor.shape, floats: tensor.scalars()), to: directory.appendingPathComponent(name + ".npy"))
    }
    for frame in batch.frameIDs {
        for scale in 0..<batch.numScales {
            try save(batch.color(frame, scale: scale), "color_\(frame)_\(scale)")
            try save(batch.colorAug(frame, scale: scale), "color_aug_\(frame)_\(scale)")
        }
    }
    for scale in 0..<batch.numScales {
        try save(batch.K[scale], "K_\(scale)")
        try save(batch.invK[scale], "inv_K_\(scale)")
    }
    if let stereoT = batch.stereoT { try save(stereoT, "stereo_T") }
    if let depth = batch.depthGT { try save(depth, "depth_gt") }
}
