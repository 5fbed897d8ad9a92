import Foundation
import ImageIO

/// `torch.utils.data.DataLoader(dataset, batch_size, shuffle, num_workers, drop_last)` as the trainer
/// uses it, but reproducible whatever the worker count: the shuffle of epoch e comes from a generator
/// derived from (seed, e), and every random choice of item i in epoch e from one derived from
/// (seed, e, i) (`SampleAugmentation.random`). Worker threads build whole batches, each straight into
/// the memory of its tensors, at most `prefetch` batches per worker ahead of the consumer.
public final class DataLoader: Sendable {
    public let dataset: KITTIDataset
    public let batchSize: Int
    public let shuffle: Bool
    public let dropLast: Bool
    /// 0: batches are built on the calling thread when asked for.
    public let numWorkers: Int
    public let seed: UInt64
    /// Batches each worker may have ready ahead of the consumer (PyTorch's `prefetch_factor`).
    public let prefetch: Int
    /// The part of every batch this process loads (data-parallel training); `.whole` otherwise.
    public let shard: BatchShard
    /// Undecodable images are skipped and counted here; nil: the first one stops the epoch.
    public let badFrames: BadFrames?

    public init(dataset: KITTIDataset, batchSize: Int, shuffle: Bool, dropLast: Bool, numWorkers: Int,
                seed: UInt64, prefetch: Int = 2, shard: BatchShard = .whole, badFrames: BadFrames? = nil) {
        precondition(batchSize >= 1 && numWorkers >= 0 && prefetch >= 1, "DataLoader: invalid batch size, workers or prefetch")
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.numWorkers = numWorkers
        self.seed = seed
        self.prefetch = prefetch
        self.shard = shard
        self.badFrames = badFrames
    }

    /// `len(loader)`.
    public var batchesPerEpoch: Int {
        dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
    }

    /// The dataset indices of epoch `epoch` in loading order (a seeded permutation when shuffling).
    public func order(epoch: Int) -> [Int] {
        var indices = Array(0..<dataset.count)
        guard shuffle else { return indices }
        var generator = ItemGenerator(seed: seed, stream: UInt64(bitPattern: Int64(epoch)), index: .max)
        indices.shuffle(using: &generator)
        return indices
    }

    /// The batches of epoch `epoch`, each a list of dataset indices: this process's share of each
    /// (all of it, unless sharded).
    public func plan(epoch: Int) -> [[Int]] {
        let indices = order(epoch: epoch)
        return (0..<batchesPerEpoch).map { b in
            let batch = indices[(b * batchSize)..<min((b + 1) * batchSize, indices.count)]
            return Array(batch.dropFirst(shard.range(of: batch.count).lowerBound).prefix(shard.range(of: batch.count).count))
        }
    }

    /// Iterates over epoch `epoch`; worker threads start at once.
    public func epoch(_ epoch: Int) -> EpochIterator {
        EpochIterator(loader: self, epoch: epoch)
    }

    /// Builds batch `indices` of `epoch` on the calling thread, with that thread's `resampleCache`.
    func build(_ indices: [Int], epoch: Int, resampleCache: ResampleCache) throws(KITTIDataError) -> Batch {
        let buffers = dataset.makeBuffers(batchSize: indices.count, resampleCache: resampleCache)
        for (slot, index) in indices.enumerated() {
            try load(index, epoch: epoch, into: buffers, slot: slot)
        }
        return buffers.makeBatch(indices: indices, frameIDs: dataset.config.frameIDs)
    }

    /// Batch `indices` of `epoch` on the calling thread, built as `KITTIDataset.batch` builds it (the
    /// persistent validation iterator), with this loader's skipping of undecodable images.
    public func batch(_ indices: [Int], epoch: Int) throws(KITTIDataError) -> Batch {
        precondition(!indices.isEmpty)
        return try build(indices, epoch: epoch, resampleCache: ResampleCache())
    }

    /// Item `index` of `epoch` into `slot`; with `badFrames`, an item with an undecodable image is
    /// replaced by the next item that loads (see `BadFrames`).
    private func load(_ index: Int, epoch: Int, into buffers: BatchBuffers, slot: Int) throws(KITTIDataError) {
        var candidate = index
        for _ in 0..<dataset.count {
            do {
                try dataset.load(candidate, augmentation: dataset.augmentation(index: candidate, seed: seed, epoch: epoch),
                                 into: buffers, slot: slot)
                return
            } catch {
                guard let badFrames, case .unreadableImage = error else { throw error }
                try badFrames.record(error)
                candidate = (candidate + 1) % dataset.count
            }
        }
        // Reached only when no item of the split loads (each one's images are bad).
        let files = badFrames?.badFiles ?? []
        throw .invalidArgument("\(dataset.config.splitFile): no item can be loaded: every one has an image that cannot be decoded ("
                               + files.prefix(KITTIDataError.listedProblems).joined(separator: ", ") + ")")
    }

    /// The resampling tables one building thread keeps. Worker threads resize on their own thread
    /// (they are already one per core); building on the caller's thread may use all cores.
    func makeResampleCache() -> ResampleCache {
        ResampleCache(threaded: numWorkers == 0)
    }
}
