import TensorCore

/// One replica's part of a data-parallel step: items `offset ..< offset + b` of the whole batch of
/// `total`, and the group its gradients, statistics and losses are summed over.
public struct BatchShare {
    public let replicas: any ReplicaGroup
    public let offset: Int
    public let total: Int
    /// Where the gradients are summed during the backward pass (overlapped); nil: after it.
    public let buckets: GradientBuckets?

    public init(replicas: any ReplicaGroup, offset: Int, total: Int, buckets: GradientBuckets? = nil) {
        self.replicas = replicas
        self.offset = offset
        self.total = total
        self.buckets = buckets
    }

    /// The replicas' mean of each value (the whole batch's value of a per-share mean).
    public func mean(_ values: [Float]) -> [Float] {
        var sums = values.map(Double.init)
        sums.withUnsafeMutableBufferPointer { replicas.sum($0) }
        return sums.map { Float($0 / Double(replicas.count)) }
    }
}
