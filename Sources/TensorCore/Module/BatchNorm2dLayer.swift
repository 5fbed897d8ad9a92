/// nn.BatchNorm2d (affine, tracking running statistics): keys `weight`, `bias` (parameters),
/// `running_mean`, `running_var`, `num_batches_tracked` (int64 scalar) (buffers).
/// Training mode normalises with batch statistics and updates the buffers (momentum 0.1,
/// unbiased variance); evaluation mode uses the running statistics. Starts in training mode,
/// like PyTorch.
public final class BatchNorm2d: Module {
    public let weight: Parameter
    public let bias: Parameter
    public let runningMean: Buffer
    public let runningVariance: Buffer
    public let numBatchesTracked: Buffer
    public let momentum: Float
    public let epsilon: Float
    public private(set) var mode: ModuleMode = .training
    /// Data parallelism: in training mode, the statistics (and their gradients) are taken over
    /// every replica's batch (SyncBN); nil: this process's batch alone.
    public var replicas: (any ReplicaGroup)?

    /// Weight 1, bias 0, running mean 0, running variance 1, counter 0.
    public init(_ channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5, on backend: any Backend = CPUBackend.shared) {
        precondition(channels > 0, "BatchNorm2d: \(channels) channels")
        weight = Parameter(Tensor.ones([channels], on: backend))
        bias = Parameter(Tensor.zeros([channels], on: backend))
        runningMean = Buffer(Tensor.zeros([channels], on: backend))
        runningVariance = Buffer(Tensor.ones([channels], on: backend))
        numBatchesTracked = Buffer(Tensor.zeros([], dtype: .int64, on: backend))
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public var entries: [ModuleEntry] {
        [.parameter("weight", weight), .parameter("bias", bias), .buffer("running_mean", runningMean),
         .buffer("running_var", runningVariance), .buffer("num_batches_tracked", numBatchesTracked)]
    }

    public func setMode(_ mode: ModuleMode) { self.mode = mode }

    /// (N, C, H, W) → same shape.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch mode {
        case .evaluation:
            return batchNormInference(x, weight: weight.value, bias: bias.value, runningMean: runningMean.value,
                                      runningVariance: runningVariance.value, epsilon: epsilon)
        case .training:
            let (y, running) = batchNormTraining(x, weight: weight.value, bias: bias.value, runningMean: runningMean.value,
                                                 runningVariance: runningVariance.value, momentum: momentum, epsilon: epsilon,
                                                 replicas: replicas)
            runningMean.value = running.mean
            runningVariance.value = running.variance
            // +1 on the device (exact in float32 up to 2^24 steps), no host round trip.
            numBatchesTracked.value = (numBatchesTracked.value.converted(to: .float32) + 1).converted(to: .int64)
            return y
        }
    }
}
