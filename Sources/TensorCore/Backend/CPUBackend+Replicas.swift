extension CPUBackend {
    /// Sums each tensor's memory over the replicas in place (contiguous float32; a view is summed
    /// through a contiguous copy written back).
    public func sumAcrossReplicas(_ tensors: [Tensor], replicas: any ReplicaGroup) {
        guard replicas.count > 1 else { return }
        for tensor in tensors {
            precondition(tensor.dtype == .float32, "sumAcrossReplicas: \(tensor.dtype) \(tensor.shape) (float32 only)")
            let target = tensor.isContiguous ? tensor : contiguous(tensor)
            withExtendedLifetime(target) {
                replicas.sum(UnsafeMutableBufferPointer(start: floats(target), count: target.count))
            }
            if !tensor.isContiguous { copy(target, into: tensor) }
        }
    }

    /// Replaces each tensor's values with replica 0's (any dtype; a view through a contiguous copy).
    public func broadcastFromFirstReplica(_ tensors: [Tensor], replicas: any ReplicaGroup) {
        guard replicas.count > 1 else { return }
        for tensor in tensors {
            let target = tensor.isContiguous ? tensor : contiguous(tensor)
            withExtendedLifetime(target) {
                let size = target.dtype.byteSize
                replicas.broadcastFromFirst(UnsafeMutableRawBufferPointer(start: raw(target) + target.offset * size,
                                                                          count: target.count * size))
            }
            if !tensor.isContiguous { copy(target, into: tensor) }
        }
    }
}
