/// The trainer's persistent validation iterator (`val()`): `next(val_iter)`, and on StopIteration a
/// fresh `iter(val_loader)` (the next shuffle) and its first batch.
public final class ValidationIterator: @unchecked Sendable {
    public let loader: DataLoader
    /// Passes started so far (the epoch number of the current pass is `passes - 1`).
    public private(set) var passes = 0
    private var current: EpochIterator?

    public init(loader: DataLoader) {
        self.loader = loader
    }

    /// The next validation batch, starting a new pass when the current one is exhausted.
    public func next() throws(KITTIDataError) -> Batch {
        guard loader.batchesPerEpoch > 0 else {
            throw .invalidArgument("\(loader.dataset.config.splitFile): \(loader.dataset.count) items make no full batch of \(loader.batchSize)")
        }
        if let current, let batch = try current.next() { return batch }
        let fresh = loader.epoch(passes)
        passes += 1
        current = fresh
        guard let batch = try fresh.next() else { preconditionFailure("ValidationIterator: an epoch without batches") }
        return batch
    }
}
