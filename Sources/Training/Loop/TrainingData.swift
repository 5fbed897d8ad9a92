import ArrayIO
import Foundation
import KITTIData
import Options

/// The real `TrainerData`: the training loader (shuffled per (seed, epoch), augmented, drop_last,
/// `--num_workers` threads), the persistent validation iterator of `val()`, and the unshuffled
/// validation pass of the best-model selection.
public final class KITTITrainerData: TrainerData {
    public let trainLoader: DataLoader
    /// Shuffled per pass, drop_last: `val()`'s iterator (one batch per log, built on the calling thread).
    public let validationLoader: DataLoader
    /// In order, drop_last, with the workers: the full pass after each epoch.
    public let validationPassLoader: DataLoader
    /// Batches drawn from the persistent iterator so far (its pass and offset follow from it).
    public private(set) var validationPosition = 0

    /// - Parameter shard: the part of every batch this process loads (data parallelism).
    /// Undecodable images skipped so far (all three loaders); nil: the first one stops the run.
    public let badFrames: BadFrames?

    /// - Parameters:
    ///   - shard: the part of every batch this process loads (data parallelism).
    ///   - badFrames: skips and counts undecodable images (nil: the first one is an error).
    public init(train: KITTIDataset, validation: KITTIDataset, batchSize: Int, numWorkers: Int, seed: UInt64,
                shard: BatchShard = .whole, badFrames: BadFrames? = nil) {
        self.badFrames = badFrames
        trainLoader = DataLoader(dataset: train, batchSize: batchSize, shuffle: true, dropLast: true,
                                 numWorkers: numWorkers, seed: seed, shard: shard, badFrames: badFrames)
        validationLoader = DataLoader(dataset: validation, batchSize: batchSize, shuffle: true, dropLast: true,
                                      numWorkers: 0, seed: TrainerSeeds.validation(seed: seed), shard: shard, badFrames: badFrames)
        validationPassLoader = DataLoader(dataset: validation, batchSize: batchSize, shuffle: false, dropLast: true,
                                          numWorkers: numWorkers, seed: seed, shard: shard, badFrames: badFrames)
    }

    public var skippedItems: Int { badFrames?.skippedItems ?? 0 }

    public var batchesPerEpoch: Int { trainLoader.batchesPerEpoch }
    public var validationBatches: Int { validationLoader.batchesPerEpoch }

    public func trainBatches(epoch: Int) throws -> BatchIterator<Batch> {
        let iterator = trainLoader.epoch(epoch)
        return BatchIterator { try iterator.next() }
    }

    /// `next(val_iter)`, restarting with the next shuffle when a pass is used up.
    public func nextValidationBatch() throws -> Batch {
        let perPass = validationLoader.batchesPerEpoch
        guard perPass > 0 else {
            let dataset = validationLoader.dataset
            throw TrainerError.emptyEpoch(split: dataset.config.splitFile, samples: dataset.count, batchSize: validationLoader.batchSize)
        }
        let pass = validationPosition / perPass
        let indices = validationLoader.plan(epoch: pass)[validationPosition % perPass]
        validationPosition += 1
        return try validationLoader.batch(indices, epoch: pass)
    }

    public func skipValidationBatches(_ count: Int) { validationPosition += count }

    public func validationPass() throws -> BatchIterator<Batch> {
        let iterator = validationPassLoader.epoch(0)
        return BatchIterator { try iterator.next() }
    }
}

/// Where the options' training data comes from: a KITTI tree read through the split's lists, or
/// (`--dataset folder`) a folder layout with lists generated from its sequences.
public enum TrainingSource {
    case kitti(KITTILayout.Kind)
    case folder(FolderLayout, FolderSplit)

    public init(options: MonodepthOptions) throws {
        switch options.dataset {
        case .kitti: self = .kitti(.raw)
        case .kittiOdom: self = .kitti(.odometry)
        case .kittiDepth: self = .kitti(.depth)
        case .kittiTest:
            throw KITTIDataError.invalidArgument("--dataset kitti_test has no training dataset (the original wires kitti and kitti_odom)")
        case .folder:
            let dataPath = URL(fileURLWithPath: DefaultPaths.expandingUser(options.dataPath))
            let layout = try FolderLayout.scan(dataPath: dataPath,
                                               intrinsicsFile: options.intrinsics.map { URL(fileURLWithPath: DefaultPaths.expandingUser($0)) },
                                               frameStride: options.frameStride, stereoBaseline: options.stereoBaseline)
            if options.useStereo, let mono = layout.sequences.first(where: { $0.rightFrames == nil }) {
                throw KITTIDataError.missingFile(path: dataPath.appendingPathComponent(mono.name)
                                                    .appendingPathComponent(FolderLayout.rightFolderName).path,
                                                 what: "the right camera's frames that --use_stereo needs")
            }
            self = .folder(layout, try FolderSplit(layout: layout, frameOffsets: options.frameIDs, valEvery: options.valEvery))
        }
    }

    /// The dataset config of one list: `list` (`train_files.txt`, `val_files.txt`) of the split's
    /// folder, or of the generated lines, which are first written to `record/list` (the run's
    /// `splits/` folder, for the record) when `writesRecord`.
    public func config(options: MonodepthOptions, list: String, isTrain: Bool, record: URL,
                       writesRecord: Bool = true) throws -> KITTIDatasetConfig {
        let dataPath = URL(fileURLWithPath: DefaultPaths.expandingUser(options.dataPath))
        switch self {
        case .kitti(let kind):
            return try KITTIDatasetConfig(kind: kind, dataPath: dataPath,
                                          splitURL: options.splitFolder(for: options.split).appendingPathComponent(list),
                                          height: options.height, width: options.width, frameIDs: options.derived.frameIDs,
                                          numScales: 4, png: options.png, isTrain: isTrain)
        case .folder(let layout, let split):
            let lines = list == "val_files.txt" ? split.validation : split.train
            let file = record.appendingPathComponent(list)
            if writesRecord {
                try FileManager.default.createDirectory(at: record, withIntermediateDirectories: true)
                try FileBytes.write(Array(lines.map { $0 + "\n" }.joined().utf8), to: file)
            }
            var config = KITTIDatasetConfig(dataPath: dataPath, splitFile: file.path, lines: FolderSplit.numbered(lines),
                                            height: options.height, width: options.width,
                                            frameIDs: options.derived.frameIDs, numScales: 4, isTrain: isTrain)
            config.folder = layout
            return config
        }
    }
}

/// The training and validation datasets of the options (trainer.py `__init__`'s data section).
public enum TrainerDataFactory {
    /// - Parameters:
    ///   - shard: this process's part of every batch (data parallelism).
    ///   - writesRecord: whether a folder layout's generated lists are written to the run folder (rank 0).
    ///   - report: receives the line reporting each undecodable image (once per file).
    public static func make(options: MonodepthOptions, seed: UInt64, shard: BatchShard = .whole,
                            writesRecord: Bool = true,
                            report: @escaping @Sendable (String) -> Void = { _ in }) throws -> KITTITrainerData {
        let dataPath = URL(fileURLWithPath: options.dataPath)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dataPath.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw KITTIDataError.missingFile(path: dataPath.path, what: "--data_path folder")
        }
        let source = try TrainingSource(options: options)
        // A folder layout's generated lists are kept beside the run's models.
        let record = URL(fileURLWithPath: DefaultPaths.expandingUser(options.logDir))
            .appendingPathComponent(options.modelName).appendingPathComponent("splits")
        func dataset(_ list: String, isTrain: Bool) throws -> KITTIDataset {
            try KITTIDataset(source.config(options: options, list: list, isTrain: isTrain, record: record, writesRecord: writesRecord))
        }
        let train = try dataset("train_files.txt", isTrain: true)
        let validation = try dataset("val_files.txt", isTrain: false)
        let badFrames = BadFrames(limit: options.maxBadFrames ?? BadFrames.defaultLimit(items: train.count), report: report)
        if options.checkImages { try ImageCheck.run([train, validation], badFrames: badFrames, report: report) }
        return KITTITrainerData(train: train, validation: validation, batchSize: options.batchSize,
                                numWorkers: options.numWorkers, seed: seed, shard: shard, badFrames: badFrames)
    }
}
