import CommandLineKit
import Foundation
import Options
import Training

/// A training run configured like the `train` tool (the original's train.py): the same flags, the
/// same outputs in `--log_dir/--model_name` (opt.json, `weights_N`, TensorBoard events), the same
/// numbers. Progress comes to a callback; `stop()` ends the run between two steps.
///
/// ```swift
/// let run = try TrainingRun(arguments: ["--data_path", "kitti_data", "--model_name", "mine",
///                                       "--num_epochs", "1", "--seed", "1"])
/// let outcome = try run.run { event in
///     if case .step(let progress) = event, progress.step % 100 == 0 { print(progress.step, progress.loss) }
/// }
/// ```
///
/// Nothing is printed unless `log` is given (it then receives `train`'s standard output lines).
/// One process: data parallelism over MPI is `train`'s (run it under `mpirun`). `run` is called
/// from one thread at a time; `stop()` may be called from any thread.
public final class TrainingRun: @unchecked Sendable {
    let trainer: Trainer
    let flag = StopFlag()
    private var started = false

    /// The run's folder, `--log_dir/--model_name`: `models/opt.json`, `models/weights_N/`, TensorBoard
    /// events in `train/` and `val/`.
    public var folder: URL { trainer.logPath }
    /// The number of epochs (`--num_epochs`).
    public var epochs: Int { trainer.loop.schedule.numEpochs }
    /// Training batches per epoch.
    public var batchesPerEpoch: Int { trainer.loop.schedule.batchesPerEpoch }
    /// The first epoch `run` trains (0, or the next one after `--resume`'s weights).
    public var startEpoch: Int { trainer.loop.startEpoch }

    /// Sets up a run from `train`'s command line (without the program name): every flag of the
    /// original options.py plus `--seed`, `--resume`, `--disable_best_model`. Builds the networks,
    /// loads `--load_weights_folder` or `--resume`, reads the split and writes `opt.json`.
    /// - Parameter log: receives `train`'s standard output, line by line (each with its newline);
    ///   nil prints nothing.
    /// - Throws: `TrainingRunError.invalidArguments` for a bad command line (or `--help`, whose
    ///   text it carries), `.setupFailed` naming the file or flag otherwise.
    public init(arguments: [String], log: (@Sendable (String) -> Void)? = nil) throws(TrainingRunError) {
        let options: MonodepthOptions
        do { options = try MonodepthOptions.parse(arguments, program: "train") } catch {
            throw .invalidArguments(error.description)
        }
        let silent: @Sendable (String) -> Void = { _ in }
        do {
            trainer = try Trainer(options: options, output: log ?? silent,
                                  progressBar: CommandLineKit.Progress.Output(isTerminal: false, write: silent))
        } catch {
            throw .setupFailed("\(error)")
        }
    }

    /// Trains the remaining epochs, reporting every step, validation pass and epoch end to
    /// `observe` (called on the training thread; keep it short). Returns `.stopped` when `stop()`
    /// was called, after the step that was running. A run trains once: to continue a stopped run,
    /// set up a new one with `--resume` and the run's folder (it goes on from the last `weights_N`).
    /// - Throws: `TrainingRunError.trainingFailed` naming the file, or the divergence and the last
    ///   good weights; `.setupFailed` when this run was already started.
    @discardableResult
    public func run(observe: @escaping (TrainingEvent) -> Void = { _ in }) throws(TrainingRunError) -> TrainingOutcome {
        guard !started else {
            throw .setupFailed("TrainingRun.run: this run was already started; continue it with a new TrainingRun and --resume \(folder.path)")
        }
        started = true
        let base = trainer.loop
        var steps = 0
        let sink = ObservingSink(trainer.sink, schedule: base.schedule) { event in
            if case .step = event { steps += 1 }
            observe(event)
        }
        let loop = EpochLoop(engine: trainer.engine, data: trainer.data, sink: sink,
                             schedule: base.schedule, runFolder: base.runFolder, seed: base.seed,
                             selectsBestModel: base.selectsBestModel, resumeFrom: base.progress,
                             initialWeights: base.lastGoodWeights)
        // stop() is train's Ctrl-C: the loop stops between steps, never inside a save, and an
        // epoch's last step still gets its validation pass and weights.
        let flag = flag
        loop.stopRequested = { _ in flag.isRaised ? SIGINT : nil }
        defer { trainer.sink.close() }
        do {
            try loop.run()
            return .finished
        } catch TrainerError.interrupted {
            return .stopped(steps: steps)
        } catch {
            throw .trainingFailed("\(error)")
        }
    }

    /// Asks the run to stop after the training step in progress (safe from any thread, including
    /// from `observe`), as Ctrl-C stops `train`: never inside a save, and when that step ends an
    /// epoch, after the epoch's validation pass and weights. The weights written so far stay.
    public func stop() { flag.raise() }
}
