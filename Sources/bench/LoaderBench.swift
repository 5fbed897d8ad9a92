import ArrayIO
import Foundation
import ImageIO
import KITTIData
import TensorCore

// bench loader: the training data pipeline (KITTIData's DataLoader) with augmentation on.
//   bench loader --data_path D [--split_file F] --height 192 --width 640 --batch 12 --num_workers 2
//                [--frame_ids 0 -1 1] [--use_stereo] [--png] [--dataset kitti|kitti_odom] [--num_scales 4]
//                [--seed 0] [--batches 20]
//   prints {"name": "loader", "samples_per_s": ...}; compare with tools/loader_baseline.py (the
//   original's DataLoader) on the same files in the same sitting.
//   bench loader --dump DIR --index I [--flip 0|1] [--color_aug 0|1] [same sample flags]
//   writes item I as .npy files named like reference/torch/loss/inputs (color_{f}_{s}, color_aug_{f}_{s},
//   K_{s}, inv_K_{s}, stereo_T, depth_gt, each with a batch dimension of 1) and prints the choices used.

func runLoaderBench(_ arguments: BenchFlags) throws {
    var flags = arguments
    let dataPath = try flags.string("data_path")
    let splitFile = (try? flags.string("split_file")) ?? "splits/eigen_zhou/train_files.txt"
    let height = try flags.int("height", default: 192)
    let width = try flags.int("width", default: 640)
    let batchSize = try flags.int("batch", default: 12)
    let workers = try flags.int("num_workers", default: 2)
    let numScales = try flags.int("num_scales", default: 4)
    let seed = try flags.int("seed", default: 0)
    let batches = try flags.int("batches", default: 20)
    let dataset = try flags.string("dataset", default: "kitti", allowed: ["kitti", "kitti_odom", "kitti_depth"])
    var frameIDs: [FrameID] = []
    for text in flags.strings("frame_ids") ?? ["0", "-1", "1"] {
        guard let id = FrameID(text), id != .stereo else { throw BenchFlags.Problem(description: "--frame_ids: '\(text)' is not an integer") }
        frameIDs.append(id)
    }
    if flags.flag("use_stereo") { frameIDs.append(.stereo) }
    let png = flags.flag("png")
    let dump = try? flags.string("dump")
    let index = try flags.int("index", default: 0)
    let flip = try flags.string("flip", default: "random", allowed: ["random", "0", "1"])
    let colorAug = try flags.string("color_aug", default: "random", allowed: ["random", "0", "1"])
    try flags.checkAllUsed()

    let kind: KITTILayout.Kind = dataset == "kitti_odom" ? .odometry : dataset == "kitti_depth" ? .depth : .raw
    let config = try KITTIDatasetConfig(kind: kind, dataPath: URL(fileURLWithPath: dataPath), splitURL: URL(fileURLWithPath: splitFile),
                                        height: height, width: width, frameIDs: frameIDs, numScales: numScales,
                                        png: png, isTrain: true)
    let data = try KITTIDataset(config)

    if let dump {
        guard index < data.count else { throw BenchFlags.Problem(description: "--index \(index): the split has \(data.count) items") }
        let random = data.augmentation(index: index, seed: UInt64(seed), epoch: 0)
        var augmentation = random
        if flip != "random" { augmentation.flip = flip == "1" }
        if colorAug == "0" { augmentation.jitter = nil }
        if colorAug == "1" && augmentation.jitter == nil {
            // Forced on for an item that drew none: its jitter parameters from the next epochs' draws.
            augmentation.jitter = (1...).lazy.compactMap { data.augmentation(index: index, seed: UInt64(seed), epoch: $0).jitter }.first
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
