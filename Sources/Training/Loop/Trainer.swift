import ArrayIO
import CommandLineKit
import Distributed
import Foundation
import KITTIData
import Networks
import Options
import TensorCore

/// trainer.py's `Trainer`: built from the shared options, it creates the networks
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
    /// The processes of this run (one, or the ranks of a launcher).
    public let run: DataParallelRun
    /// The gradients' bucket thread and its communicator (data parallelism with overlap).
    private var buckets: GradientBuckets?
    private var bucketCommunicator: (any Communicator)?
    /// The run folder's lock (rank 0's), held until the trainer is released.
    private let lock: RunFolderLock?

    /// - Parameters:
    ///   - output: receives the original's stdout lines (with newlines).
    ///   - progressBar: where the live bar goes (drawn only on a terminal).
    ///   - run: the processes of a data-parallel run (`DataParallelRun.launched()` under `mpirun`);
    ///     one process by default. Rank 0 prints and writes; every rank trains on its share.
    public init(options given: MonodepthOptions,
                output givenOutput: @escaping @Sendable (String) -> Void = TrainingConsole.writeStandardOutput,
                progressBar givenBar: CommandLineKit.Progress.Output = .standardError,
                run: DataParallelRun = .single) throws {
        try given.validate(for: .training)
        if given.loadWeightsFolder != nil { try ModelSetConfiguration(options: given).requireNetworks(given.modelsToLoad) }
        guard given.batchSize % run.size == 0 else { throw TrainerError.batchNotDivisible(batchSize: given.batchSize, processes: run.size) }
        let replicas = run.replicas
        if let replicas { try OptionsAgreement.check(given, replicas: replicas, rank: run.rank) }
        let runFolderURL = URL(fileURLWithPath: DefaultPaths.expandingUser(given.logDir)).appendingPathComponent(given.modelName)
        lock = try Self.lockRunFolder(runFolderURL, run: run)
        self.run = run
        let silent: @Sendable (String) -> Void = { _ in }
        let output = run.isLeader ? givenOutput : silent
        let progressBar = run.isLeader ? givenBar : CommandLineKit.Progress.Output(isTerminal: false, write: silent)
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
        // A save killed between the renames of a replacement (file systems without an atomic exchange).
        if run.isLeader { WeightsFolder.removeLeftoversOfDeadRuns(in: RunFolder(runFolderURL).modelsDirectory) }
        let resume = try options.resume.map { path in try ResumeLocation.resolve(path) }
        let generatorSeed = TrainerSeeds.initialisation(seed: seed)
        let models = options.weightsInit == .pretrained && resume == nil
            ? try MonodepthModels.pretrained(configuration: configuration.modelSet, generatorSeed: generatorSeed)
            : MonodepthModels(configuration: configuration.modelSet, initialisation: .scratch(generatorSeed: generatorSeed))
        // Each rank steps on its share of the batch (the networks see b/N images).
        var shareConfiguration = configuration
        shareConfiguration.batchSize = options.batchSize / run.size
        let step = MonodepthStep(configuration: shareConfiguration, models: models, adamRule: .torch041)
        var progress: TrainerState?
        var initialWeights: String?
        if let resume {
            let notes = try ResumeAgreement.check(options, weightsFolder: resume.folder)
            say("resuming from folder \(resume.folder.path) (epoch \(resume.state.epoch) done, step \(resume.state.globalStep))")
            notes.forEach(say)
            try WeightsFolder(resume.folder).load(into: models, optimizer: step.optimizer)
            progress = resume.state
            if let stored = progress?.seed, stored != seed {
                say("note: the run was started with --seed \(Int64(bitPattern: stored)); continuing with it")
            }
            initialWeights = resume.folder.path
        } else if let folder = options.loadWeightsFolder {
            initialWeights = try WeightsFolder.loadModel(from: folder, names: options.modelsToLoad, into: models,
                                                         optimizer: step.optimizer, say: say).path
        }
        let runSeed = progress?.seed ?? seed
        if let replicas {
            // The same start everywhere: rank 0's weights and buffers; statistics over the whole batch.
            models.encoder.resnet.conv1.weight.value.backend.broadcastFromFirstReplica(
                models.named.flatMap { $0.module.stateEntries().map(\.value) }, replicas: replicas)
            var buckets: GradientBuckets?
            if run.overlapsGradients {
                let gradients = try run.communicator.duplicate()
                bucketCommunicator = gradients
                buckets = GradientBuckets(replicas: CommunicatorReplicaGroup(gradients))
            }
            self.buckets = buckets
            step.share = BatchShare(replicas: replicas, offset: run.shard.range(of: options.batchSize).lowerBound,
                                    total: options.batchSize, buckets: buckets)
            if !options.disableSyncBatchNorm {
                for case let batchNorm as BatchNorm2d in models.named.flatMap({ $0.module.modules() }) { batchNorm.replicas = replicas }
            }
        }
        engine = MonodepthTrainerEngine(step: step, seed: runSeed, writesWeights: run.isLeader)

        say("Training model named:\n   \(options.modelName)")
        say("Models and tensorboard events files are saved to:\n   \(options.logDir)")
        say("Training is using:\n   cpu" + (run.size > 1 ? " (\(run.size) processes, \(options.batchSize / run.size) items of each batch per process)" : ""))

        // Data.
        // Bad images: rank 0 reports on stdout; another rank (which loads other items) on stderr, named.
        let rank = run.rank, size = run.size
        var report: @Sendable (String) -> Void = { output($0 + "\n") }
        if !run.isLeader {
            report = { line in FileHandle.standardError.write(Data("rank \(rank) of \(size): \(line)\n".utf8)) }
        }
        data = try TrainerDataFactory.make(options: options, seed: runSeed, shard: run.shard, writesRecord: run.isLeader,
                                           report: report)
        let trainCount = data.trainLoader.dataset.count
        let validationCount = data.validationLoader.dataset.count
        guard data.batchesPerEpoch > 0 else {
            throw TrainerError.emptyEpoch(split: data.trainLoader.dataset.config.splitFile, samples: trainCount,
                                          batchSize: options.batchSize)
        }
        let selectsBest = !options.disableBestModel && data.validationBatches > 0
        say("Using split:\n   \(options.split.rawValue)")
        say("There are \(trainCount) training items and \(validationCount) validation items\n")
        if run.isLeader { try OptJSON.write(options) }

        let schedule = TrainerSchedule(batchesPerEpoch: data.batchesPerEpoch, numEpochs: options.numEpochs,
                                       logFrequency: options.logFrequency, saveFrequency: options.saveFrequency,
                                       learningRate: options.learningRate, schedulerStepSize: options.schedulerStepSize)
        let console = TrainingConsole(numEpochs: options.numEpochs, batchesPerEpoch: data.batchesPerEpoch,
                                      batchSize: options.batchSize, bar: progressBar, standardOutput: output)
        sink = try MonodepthTrainerSink(console: console, logPath: logPath, configuration: configuration,
                                        totalSteps: schedule.totalSteps, writes: run.isLeader)
        loop = EpochLoop(engine: engine, data: data, sink: sink, schedule: schedule, runFolder: RunFolder(logPath), seed: runSeed,
                         selectsBestModel: selectsBest, resumeFrom: progress, initialWeights: initialWeights)
    }

    /// Rank 0 (the only writer) locks the run folder; every rank stops together when it cannot.
    private static func lockRunFolder(_ folder: URL, run: DataParallelRun) throws -> RunFolderLock? {
        var lock: RunFolderLock?
        var failure: TrainerError?
        if run.isLeader {
            do { lock = try RunFolderLock(folder: folder) } catch { failure = error }
        }
        if let replicas = run.replicas {
            var failed = [failure == nil ? 0.0 : 1.0]
            failed.withUnsafeMutableBufferPointer { replicas.sum($0) }
            // The other ranks stop with rank 0, which names the cause.
            if failed[0] > 0, failure == nil { failure = .runFolderLocked(folder: folder.path, holder: nil) }
        }
        if let failure { throw failure }
        return lock
    }

    /// Runs the remaining epochs (all of them for a new run).
    /// - Parameter stoppingOnSignals: SIGINT and SIGTERM stop the run cleanly between two steps
    ///   (`TrainerError.interrupted`; a second signal exits at once). `train` sets it for a
    ///   single-process run; it is ignored under data parallelism.
    public func train(stoppingOnSignals: Bool = false) throws {
        if stoppingOnSignals && run.size == 1 {
            InterruptWatch.install()
            // Test hook for the process tests of this path: MD2_TEST_SIGNAL_AT_STEP=N raises SIGINT in
            // this process once N steps are done (N*2: twice, as a user pressing Ctrl-C twice).
            let hook = (ProcessInfo.processInfo.environment["MD2_TEST_SIGNAL_AT_STEP"] ?? "").split(separator: "*").compactMap { Int($0) }
            let raiseAt = hook.first, times = hook.count > 1 ? hook[1] : 1
            loop.stopRequested = { steps in
                if steps == raiseAt { for _ in 0..<times { raise(SIGINT) } }
                return InterruptWatch.pending
            }
        }
        defer {
            if stoppingOnSignals && run.size == 1 { InterruptWatch.uninstall() }
            sink.close()
            // The bucket thread ends before its communicator, which ends before the world's.
            buckets?.stop()
            bucketCommunicator?.finalize()
        }
        try loop.run()
    }
}
