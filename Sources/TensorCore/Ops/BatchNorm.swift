// Batch normalisation over (N, C, …) per channel (kernels in Kernels/BatchNorm.swift).
// Training: normalise with the batch mean and BIASED variance; return the running-statistics
// update computed with the UNBIASED variance (torch semantics). Evaluation: running statistics.

/// Running statistics after one training-mode forward.
public struct BatchNormRunningUpdate {
    public var mean: Tensor
    public var variance: Tensor
}

/// Training-mode batch norm: y = (x − μ_B)/sqrt(σ²_B + eps)·weight + bias with σ²_B biased.
/// Returns y and the new running statistics
/// `(1 − momentum)·running + momentum·batch` (variance: unbiased, ·M/(M−1), M = N·spatial).
/// Gradients flow to x, weight and bias (through the batch statistics). With `replicas`, B is the
/// batch of every replica together (synchronised batch norm), in the forward and the backward.
public func batchNormTraining(_ x: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor, runningVariance: Tensor,
                              momentum: Float = 0.1, epsilon: Float = 1e-5,
                              replicas: (any ReplicaGroup)? = nil) -> (output: Tensor, running: BatchNormRunningUpdate) {
    checkBatchNorm("batchNormTraining", x, weight, bias, runningMean, runningVariance)
    let backend = x.backend
    let xs = x.detached()
    let (mean, variance, count) = backend.batchNormStatistics(xs, replicas: replicas)
    // invStd = 1/sqrt(var + eps) on C values.
    let invStd = 1 / (variance + epsilon).sqrt()
    let y = backend.batchNormApply(xs, mean: mean, invStd: invStd, weight: weight?.detached(), bias: bias?.detached())
    let m = Float(count)
    let unbiased = m > 1 ? variance * (m / (m - 1)) : variance
    let running = BatchNormRunningUpdate(mean: runningMean.detached() * (1 - momentum) + mean * momentum,
                                         variance: runningVariance.detached() * (1 - momentum) + unbiased * momentum)
    return (recordBatchNorm(y, x, weight, bias, mean: mean, invStd: invStd, training: true, replicas: replicas), running)
}

/// Evaluation-mode batch norm with fixed statistics (constants: no gradient to them).
public func batchNormInference(_ x: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor, runningVariance: Tensor,
                               epsilon: Float = 1e-5) -> Tensor {
    checkBatchNorm("batchNormInference", x, weight, bias, runningMean, runningVariance)
    let invStd = 1 / (runningVariance.detached() + epsilon).sqrt()
    let mean = runningMean.detached()
    let y = x.backend.batchNormApply(x.detached(), mean: mean, invStd: invStd, weight: weight?.detached(), bias: bias?.detached())
    return recordBatchNorm(y, x, weight, bias, mean: mean, invStd: invStd, training: false, replicas: nil)
}

private func checkBatchNorm(_ op: String, _ x: Tensor, _ weight: Tensor?, _ bias: Tensor?, _ rm: Tensor, _ rv: Tensor) {
    precondition(x.rank >= 2 && x.dtype == .float32, "\(op): input \(x.dtype) \(x.shape) (need float32 (N, C, …))")
    let c = [x.shape[1]]
    precondition(rm.shape == c && rv.shape == c, "\(op): running stats \(rm.shape), \(rv.shape) for input \(x.shape)")
    precondition((weight?.shape ?? c) == c && (bias?.shape ?? c) == c,
                 "\(op): weight \(weight?.shape ?? []) bias \(bias?.shape ?? []) for input \(x.shape)")
}

private func recordBatchNorm(_ y: Tensor, _ x: Tensor, _ weight: Tensor?, _ bias: Tensor?, mean: Tensor, invStd: Tensor,
                             training: Bool, replicas: (any ReplicaGroup)?) -> Tensor {
    var inputs = [x]
    if let weight { inputs.append(weight) }
    if let bias { inputs.append(bias) }
    guard let tape = Tape.active(inputs) else { return y }
    let xs = x.detached(), ws = weight?.detached()
    let hasWeight = weight != nil, hasBias = bias != nil
    return tape.record(training ? "batch_norm_train" : "batch_norm_eval", y, inputs) { g, need in
        let (gx, gw, gb) = g.backend.batchNormBackward(xs, gradOutput: g, mean: mean, invStd: invStd, weight: ws,
                                                       training: training, needInput: need[0], replicas: replicas)
        var grads: [Tensor?] = [gx]
        if hasWeight { grads.append(gw) }
        if hasBias { grads.append(gb) }
        return grads
    }
}
