import TensorCore

/// The bookkeeping of trainer.py's epoch loop (`train`, `run_epoch`), as pure functions: how many
/// steps a run has, when a batch is logged (and a validation batch drawn), which epochs are saved,
/// and the learning rate of an epoch under PyTorch 0.4.1's StepLR.
public struct TrainerSchedule: Sendable, Equatable {
    /// `len(train_dataset) // batch_size` (the loader drops the last partial batch).
    public var batchesPerEpoch: Int
    public var numEpochs: Int
    public var logFrequency: Int
    public var saveFrequency: Int
    public var learningRate: Double
    public var schedulerStepSize: Int
    /// StepLR's fixed gamma in trainer.py.
    public var gamma: Double = 0.1

    public init(batchesPerEpoch: Int, numEpochs: Int, logFrequency: Int, saveFrequency: Int,
                learningRate: Double, schedulerStepSize: Int) {
        self.batchesPerEpoch = batchesPerEpoch
        self.numEpochs = numEpochs
        self.logFrequency = logFrequency
        self.saveFrequency = saveFrequency
        self.learningRate = learningRate
        self.schedulerStepSize = schedulerStepSize
    }

    /// `num_total_steps = len(train_filenames) // batch_size * num_epochs`.
    public var totalSteps: Int { batchesPerEpoch * numEpochs }

    /// The learning rate of epoch `epoch` (0-based) with torch 0.4.1's StepLR, whose `step()` runs at
    /// the start of each epoch: `lr · gamma^⌊epoch / step⌋` (epochs 0–14 at lr, 15–19 at lr/10 for the
    /// defaults). Modern PyTorch drops one epoch earlier; the paper was trained with 0.4.1.
    public func learningRate(epoch: Int) -> Double {
        StepLR.learningRate(base: learningRate, epoch: epoch, stepSize: schedulerStepSize, gamma: gamma)
    }

    /// trainer.py's log condition: `batch_idx % log_frequency == 0 and step < 2000` (early phase) or
    /// `step % 2000 == 0` (late phase). `batchIndex` restarts every epoch; `step` is global.
    public func logs(batchIndex: Int, step: Int) -> Bool {
        TimeLine.shouldLog(batchIndex: batchIndex, step: step, logFrequency: logFrequency)
    }

    /// Whether weights are saved after epoch `epoch`: `(epoch + 1) % save_frequency == 0`.
    public func saves(afterEpoch epoch: Int) -> Bool { (epoch + 1) % saveFrequency == 0 }

    /// How many batches were logged (each drawing one validation batch) in the epochs before `epoch`:
    /// the persistent validation iterator's position when a run resumes at `epoch`.
    public func loggedBatches(beforeEpoch epoch: Int) -> Int {
        var count = 0
        for e in 0..<max(epoch, 0) {
            let first = e * batchesPerEpoch
            // Early phase: every log_frequency-th batch of the epoch while step < 2000.
            for batch in stride(from: 0, to: batchesPerEpoch, by: logFrequency) where first + batch < 2000 {
                count += 1
            }
            // Late phase: steps that are multiples of 2000 not already counted.
            var step = (first + 1999) / 2000 * 2000
            while step < first + batchesPerEpoch {
                let batch = step - first
                if !(batch % logFrequency == 0 && step < 2000) { count += 1 }
                step += 2000
            }
        }
        return count
    }
}
