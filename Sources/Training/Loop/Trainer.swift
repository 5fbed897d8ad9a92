import ArrayIO
import CommandLineKit
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

    /// - Parameters:
    ///   - output: receives the original's stdout lines (with newlines).
    ///   - progressBar: where the live bar goes (drawn only on a terminal).
    public init(options given: MonodepthOptions,
                output: @escaping @Sendable (String) -> Void = TrainingConsole.writeStandardOutput,
                progressBar: CommandLineKit.Progress.Output = .standardError) throws {
        try given.validate(for: .training)
        if given.loadWeightsFolder != nil { try ModelSetConfiguration(options: given).requireNetworks(given.modelsToLoad) }
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
        let generatorSeed = TrainerSeeds.initialisation(seed: seed)
        let models = options.weightsInit == .pretrained && resume == nil
            ? try MonodepthModels.pretrained(configuration: configuration.modelSet, generatorSeed: generatorSeed)
            : MonodepthModels(configuration: configuration.modelSet, initialisation: .scratch(generatorSeed: generatorSeed))
        let step = MonodepthStep(configuration: configuration, models: models, adamRule: .torch041)
        var progress: TrainerState?
        var initialWeights: String?
        if let resume {
            say("resuming from folder \(resume.folder.path) (epoch \(resume.state.epoch) done, step \(resume.state.globalStep))")
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
        sink = try MonodepthTrainerSink(console: console, logPath: logPath, configuration: configuration,
                                        totalSteps: schedule.totalSteps)
        loop = EpochLoop(engine: engine, data: data, sink: sink, schedule: schedule, runFolder: RunFolder(logPath), seed: runSeed,
                         selectsBestModel: selectsBest, resumeFrom: progress, initialWeights: initialWeights)
    }

    /// Runs the remaining epochs (all of them for a new run).
    public func train() throws {
        defer { sink.close() }
        try loop.run()
    }
}
