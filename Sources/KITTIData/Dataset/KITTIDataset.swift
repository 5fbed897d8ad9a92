import Foundation
import ImageIO
import TensorCore

/// The original's `KITTIRAWDataset`, `KITTIOdomDataset` and `KITTIDepthDataset` (`datasets/kitti_dataset.py`,
/// items made by `datasets/mono_dataset.py MonoDataset.__getitem__` and `MonoDataset.preprocess`):
/// for each split line, the colour images of every frame id through the cascaded LANCZOS pyramid,
/// their colour-augmented copies, K and inv_K per scale, stereo_T and depth_gt. With a
/// `FolderLayout` in the config (`--dataset folder`, ours) the same items come from the user's
/// sequences, each with its own K and the layout's stereo baseline, without depth_gt.
///
/// Construction checks the whole split up front (every line parses, every image and ground-truth
/// file exists) and throws one `invalidSplit` error listing the problems.
public final class KITTIDataset: Sendable {
    public let config: KITTIDatasetConfig
    public let entries: [DatasetEntry]
    /// `check_depth()`: does the velodyne scan of the split's first line exist? Decided once.
    public let loadsDepth: Bool
    private let groundTruth: DepthGroundTruth?
    /// K and inv_K of each scale, per `DatasetEntry.intrinsicsIndex` (one set for KITTI, one per
    /// sequence for a folder layout).
    let intrinsics: [[(k: [Float], inverse: [Float])]]
    /// stereo_T's |translation|: the original's 0.1, or the folder layout's baseline.
    let stereoTranslation: Float

    public init(_ config: KITTIDatasetConfig) throws(KITTIDataError) {
        guard config.height > 0, config.width > 0, config.numScales >= 1,
              config.height >> (config.numScales - 1) >= 1, config.width >> (config.numScales - 1) >= 1 else {
            throw .invalidArgument("dataset size \(config.width)x\(config.height) with \(config.numScales) scales is too small")
        }
        guard !config.frameIDs.isEmpty, Set(config.frameIDs).count == config.frameIDs.count else {
            throw .invalidArgument("frame ids \(config.frameIDs) must be non-empty and distinct")
        }
        self.config = config
        let entries = try DatasetSplit.entries(config)
        self.entries = entries
        let layout = config.layout
        loadsDepth = config.folder == nil && layout.kind != .odometry
            && DatasetSplit.fileExists(layout.velodyneURL(folder: entries[0].folder, frame: entries[0].frame).path)
        if loadsDepth {
            let truth = try DepthGroundTruth(layout: layout, entries: entries)
            try DatasetSplit.checkDepthSources(entries, splitFile: config.splitFile) { truth.sourceURL($0) }
            groundTruth = truth
        } else {
            groundTruth = nil
        }
        let normalized = config.folder.map { $0.sequences.map(\.normalizedK) } ?? [Intrinsics.normalized]
        intrinsics = normalized.map { kNormalized in
            (0..<config.numScales).map { scale in
                let size = config.size(scale: scale)
                let k = Intrinsics.scaled(kNormalized, width: size.width, height: size.height)
                return (k, Intrinsics.inverse(k))
            }
        }
        stereoTranslation = config.folder?.stereoTranslation ?? 0.1
    }

    public var count: Int { entries.count }

    /// The item's random choices in `epoch` of a run seeded with `seed`; none for a validation set.
    public func augmentation(index: Int, seed: UInt64, epoch: Int) -> SampleAugmentation {
        config.isTrain ? .random(seed: seed, epoch: epoch, index: index) : .none
    }

    /// Items `indices` with the given choices, collated (the loader builds its batches the same way, on its worker threads).
    public func batch(_ indices: [Int], augmentations: [SampleAugmentation]) throws(KITTIDataError) -> Batch {
        precondition(indices.count == augmentations.count && !indices.isEmpty)
        let buffers = makeBuffers(batchSize: indices.count, resampleCache: ResampleCache())
        for (slot, (index, augmentation)) in zip(indices, augmentations).enumerated() {
            try load(index, augmentation: augmentation, into: buffers, slot: slot)
        }
        return buffers.makeBatch(indices: indices, frameIDs: config.frameIDs)
    }

    func makeBuffers(batchSize: Int, resampleCache: ResampleCache) -> BatchBuffers {
        BatchBuffers(config: config, batchSize: batchSize, depth: loadsDepth, resampleCache: resampleCache)
    }

    /// `__getitem__(index)` with the given choices, written into slot `slot` of `buffers`.
    func load(_ index: Int, augmentation: SampleAugmentation, into buffers: BatchBuffers, slot: Int) throws(KITTIDataError) {
        let entry = entries[index]
        for (position, path) in entry.imagePaths.enumerated() {
            var image: Image
            do { image = try ImageTensor.readRGB(URL(fileURLWithPath: path)) } catch {
                throw .unreadableImage(path: path, splitFile: config.splitFile, line: entry.line, problem: error.description)
            }
            if augmentation.flip { ImageTensor.mirror(&image) }
            // Cascaded pyramid: scale 0 from the full image, scale s from scale s - 1.
            for (scale, size) in buffers.sizes.enumerated() {
                image = image.resized(width: size.width, height: size.height, filter: .lanczos,
                                      cache: buffers.resampleCache)
                let plane = 3 * size.width * size.height
                let color = buffers.color[position][scale] + slot * plane
                let colorAug = buffers.colorAug[position][scale] + slot * plane
                ImageTensor.write(image, to: color)
                if let jitter = augmentation.jitter {
                    ImageTensor.write(jitter.apply(to: image), to: colorAug)
                } else {
                    colorAug.update(from: color, count: plane)
                }
            }
        }
        for (scale, intrinsics) in self.intrinsics[entry.intrinsicsIndex].enumerated() {
            (buffers.k[scale] + slot * 16).update(from: intrinsics.k, count: 16)
            (buffers.invK[scale] + slot * 16).update(from: intrinsics.inverse, count: 16)
        }
        if let stereoT = buffers.stereoT {
            // Identity with [0, 3] = side_sign * baseline_sign * 0.1 (the folder layout: its baseline).
            let destination = stereoT + slot * 16
            destination.update(repeating: 0, count: 16)
            for d in 0..<4 { destination[d * 5] = 1 }
            let sideSign: Float = entry.side == "l" ? -1 : 1
            let baselineSign: Float = augmentation.flip ? -1 : 1
            destination[3] = sideSign * baselineSign * stereoTranslation
        }
        if let depth = buffers.depth, let groundTruth {
            try groundTruth.load(entry, flip: augmentation.flip, into: depth + slot * BatchBuffers.depthPlane)
        }
    }
}
