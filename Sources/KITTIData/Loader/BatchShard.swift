/// Which part of every batch one process of a data-parallel run loads: process `index` of `count`
/// takes the items [index·b/count, (index+1)·b/count) of each batch of b, from the same shuffled
/// order every process computes, so the processes together load exactly the batches one process
/// would (each item with the flip and colour jitter derived from (seed, epoch, item)).
public struct BatchShard: Sendable, Equatable {
    public let index: Int
    public let count: Int

    /// The whole batch (one process).
    public static let whole = BatchShard(index: 0, count: 1)

    public init(index: Int, count: Int) {
        precondition(count >= 1 && (0..<count).contains(index), "BatchShard: \(index) of \(count)")
        self.index = index
        self.count = count
    }

    /// This shard's positions in a batch of `size` items.
    public func range(of size: Int) -> Range<Int> { (index * size / count)..<((index + 1) * size / count) }
}
