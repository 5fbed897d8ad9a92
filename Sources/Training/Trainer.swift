import ArrayIO
import CommandLineKit
import Foundation
import KITTIData
import Networks
import Options
import TensorCore

/// trainer.py's `Trainer` (MONODEPTH2.md §4): built from the shared options, it creates the networks
/// (scratch from `--seed`, or ImageNet weights), loads `--load_weights_folder` or continues a run
/// with `--resume`, reads the split, writes opt.json, and `train()` runs the epoch loop.
///
/// ```swift
/// let trainer = try Trainer(options: options)   // prints the original's header lines
/// try trainer.train()
/// ```
public final class Trainer {
    public let options: MonodepthOptions
    public let configuration: StepConfiguration
    public let engine: MonodepthTrainerEngine
    public let data: KITTITrainerData
    public let sink: MonodepthTrainerSink
    public let loop: EpochLoop<MonodepthTrainerEngine, KITTITrainerData, MonodepthTrainerSink>
    /// `log_dir/model_name`.
    public let logPath: URL

    /// - Parameters:
    ///   - output: receives the original's stdout lines (with newlines).
    ///   - progressBar: where the live bar goes (drawn only on a terminal).
    public init(options given: MonodepthOptions,
                output: @escaping @Sendable (String) -> Void = TrainingConsole.writeStandardOutput,
                progressBar: CommandLineKit.Progress.Output = .standardError) throws {
        try given.validate(for: .training)
        var options = given
        options.logDir = DefaultPaths.expandingUser(options.logDir)
        options.dataPath = DefaultPaths.expandingUser(options.dataPath)
        self.options = options
        let say = { (line: String) in output(line + "\n") }
        let configuration = StepConfiguration(options: options)
        self.configuration = configuration
        logPath = URL(fileURLWithPath: options.logDir).appendingPathComponent(options.modelName)
        let seed = UInt64(bitPattern: Int64(options.seed))

        // Networks and their weights.
        let resume = try options.resume.map { path in try ResumeLocation.resolve(path) }
        let models = TrainerModelFactory.scratch(configuration, seed: seed)
        if options.weightsInit == .pretrained && resume == nil {
            try TrainerModelFactory.loadPretrained(into: models)
        }
        let step = MonodepthStep(configuration: configuration, models: models, adamRule: .torch041)
        var progress: TrainerState?
        var initialWeights: String?
        if let resume {
            say("resuming from folder \(resume.folder.path) (epoch \(resume.state.epoch) done, step \(resume.state.globalStep))")
            progress = try WeightsFolders.restore(models: models.named, optimizer: step.optimizer, from: resume.folder)
            if let stored = progress?.seed, stored != seed {
                say("note: the run was started with --seed \(Int64(bitPattern: stored)); continuing with it")
            }
            initialWeights = resume.folder.path
        } else if let folder = options.loadWeightsFolder {
            initialWeights = try TrainerWeightsLoading.load(folder: folder, models: models, optimizer: step.optimizer,
                                                             names: options.modelsToLoad, say: say)
        }
        let runSeed = progress?.seed ?? seed
        engine = MonodepthTrainerEngine(step: step, seed: runSeed)

        say("Training model named:\n   \(options.modelName)")
        say("Models and tensorboard events files are saved to:\n   \(options.logDir)")
        say("Training is using:\n   cpu")

        // Data.
        data = try TrainerDataFactory.make(options: options, seed: runSeed)
        let trainCount = data.trainLoader.dataset.count
        let validationCount = data.validationLoader.dataset.count
        guard data.batchesPerEpoch > 0 else {
            throw TrainerError.emptyEpoch(split: data.trainLoader.dataset.config.splitFile, samples: trainCount,
                                          batchSize: options.batchSize)
        }
        let selectsBest = !options.disableBestModel && data.validationBatches > 0
        say("Using split:\n   \(options.split.rawValue)")
        say("There are \(trainCount) training items and \(validationCount) validation items\n")
        try OptJSON.write(options)

        let schedule = TrainerSchedule(batchesPerEpoch: data.batchesPerEpoch, numEpochs: options.numEpochs,
                                       logFrequency: options.logFrequency, saveFrequency: options.saveFrequency,
                                       learningRate: options.learningRate, schedulerStepSize: options.schedulerStepSize)
        let console = TrainingConsole(numEpochs: options.numEpochs, batchesPerEpoch: data.batchesPerEpoch,
                                      batchSize: options.batchSize, bar: progressBar, standardOutput: output)
        sink = try MonodepthTrainerSink(console: console, logPath: logPath, models: models, optimizer: step.optimizer,
                                        configuration: configuration, totalSteps: schedule.totalSteps)
        loop = EpochLoop(engine: engine, data: data, sink: sink, schedule: schedule, seed: runSeed,
                         selectsBestModel: selectsBest, resumeFrom: progress, initialWeights: initialWeights)
    }

    /// Runs the remaining epochs (all of them for a new run).
    public func train() throws {
        defer { sink.close() }
        try loop.run()
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
    /// `splits/` folder, for the record).
    public func config(options: MonodepthOptions, list: String, isTrain: Bool, record: URL) throws -> KITTIDatasetConfig {
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
            try FileManager.default.createDirectory(at: record, withIntermediateDirectories: true)
            try FileBytes.write(Array(lines.map { $0 + "\n" }.joined().utf8), to: file)
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
    public static func make(options: MonodepthOptions, seed: UInt64) throws -> KITTITrainerData {
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
            try KITTIDataset(source.config(options: options, list: list, isTrain: isTrain, record: record))
        }
        return KITTITrainerData(train: try dataset("train_files.txt", isTrain: true),
                                validation: try dataset("val_files.txt", isTrain: false),
                                batchSize: options.batchSize, numWorkers: options.numWorkers, seed: seed)
    }
}

/// trainer.py `load_model`: `--models_to_load` from `--load_weights_folder` (keys the network lacks
/// are skipped, and reported), then adam.pth when present.
public enum TrainerWeightsLoading {
    /// Returns the folder's expanded path.
    public static func load(folder: String, models: MonodepthModels, optimizer: Adam, names: [ModelName],
                            say: (String) -> Void) throws -> String {
        let path = DefaultPaths.expandingUser(folder)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CheckpointError.missingFile(file: path, hint: "--load_weights_folder must be a folder of .pth files (Cannot find folder \(path))")
        }
        say("loading model from folder \(path)")
        let networks = Dictionary(uniqueKeysWithValues: models.named.map { ($0.name, $0.module) })
        for name in names {
            guard let module = networks[name.rawValue] else {
                throw OptionsError.modelNotBuilt(name, built: models.named.compactMap { ModelName(rawValue: $0.name) })
            }
            say("Loading \(name.rawValue) weights...")
            let file = URL(fileURLWithPath: path).appendingPathComponent(name.rawValue + ".pth")
            let report = try module.load(contentsOf: file, mode: .tolerant,
                                         metadataKeys: name == .encoder ? EncoderMetadata.keys : [])
            if !report.skippedKeys.isEmpty {
                say("  skipped \(report.skippedKeys.count) entries the network does not have: " + summary(report.skippedKeys))
            }
            if !report.missingKeys.isEmpty {
                say("  \(report.missingKeys.count) entries of the network are not in the file and keep their values: "
                    + summary(report.missingKeys))
            }
        }
        let adam = URL(fileURLWithPath: path).appendingPathComponent("adam.pth")
        if FileManager.default.fileExists(atPath: adam.path) {
            say("Loading Adam weights")
            try ModelFolder(URL(fileURLWithPath: path)).loadOptimizer(optimizer)
        } else {
            say("Cannot find Adam weights so Adam is randomly initialized")
        }
        return path
    }

    static func summary(_ keys: [String]) -> String {
        keys.prefix(5).joined(separator: ", ") + (keys.count > 5 ? ", …" : "")
    }
}
