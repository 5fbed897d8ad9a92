import KITTIData

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

    public init(train: KITTIDataset, validation: KITTIDataset, batchSize: Int, numWorkers: Int, seed: UInt64) {
        trainLoader = DataLoader(dataset: train, batchSize: batchSize, shuffle: true, dropLast: true,
                                 numWorkers: numWorkers, seed: seed)
        validationLoader = DataLoader(dataset: validation, batchSize: batchSize, shuffle: true, dropLast: true,
                                      numWorkers: 0, seed: TrainerSeeds.validation(seed: seed))
        validationPassLoader = DataLoader(dataset: validation, batchSize: batchSize, shuffle: false, dropLast: true,
                                          numWorkers: numWorkers, seed: seed)
    }

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
        let indices = validationLoader.plan(epoch: validationPosition / perPass)[validationPosition % perPass]
        validationPosition += 1
        return try validationLoader.dataset.batch(indices, augmentations: indices.map { _ in .none })
    }

    public func skipValidationBatches(_ count: Int) { validationPosition += count }

    public func validationPass() throws -> BatchIterator<Batch> {
        let iterator = validationPassLoader.epoch(0)
        return BatchIterator { try iterator.next() }
    }
}
