/// torch.optim.lr_scheduler.StepLR with PyTorch 0.4.1's epoch counting (torch 0.4.1 `StepLR.get_lr`):
/// lr = base · gamma^⌊lastEpoch / stepSize⌋. Construction leaves `lastEpoch` at −1 (0.4.1's
/// `_LRScheduler.__init__` computes epoch 0's rate, then resets last_epoch to −1), so the
/// trainer's `step()` at the start of epoch e sets lastEpoch = e: with step size 15, epochs 0–14
/// run at lr and 15–29 at lr·gamma. (Modern PyTorch counts from 0 and drops one epoch early.)
public final class StepLR {
    public let optimizer: Adam
    public let stepSize: Int
    public let gamma: Double
    public let baseLearningRate: Double
    /// The scheduler's `last_epoch`: −1 after construction, e after the (e+1)-th `step()`.
    public private(set) var lastEpoch = -1

    public init(optimizer: Adam, stepSize: Int, gamma: Double = 0.1) {
        precondition(stepSize > 0, "StepLR: step size \(stepSize)")
        self.optimizer = optimizer
        self.stepSize = stepSize
        self.gamma = gamma
        self.baseLearningRate = optimizer.learningRate
    }

    /// The learning rate for epoch `epoch` (0-based; the rate before the first `step()` is epoch 0's).
    public func learningRate(atEpoch epoch: Int) -> Double {
        Self.learningRate(base: baseLearningRate, epoch: epoch, stepSize: stepSize, gamma: gamma)
    }

    /// The 0.4.1 rule itself, `base · gamma^⌊epoch / stepSize⌋` (repeated products, as torch computes
    /// it), for code that needs an epoch's rate without a scheduler (the trainer's schedule).
    public static func learningRate(base: Double, epoch: Int, stepSize: Int, gamma: Double) -> Double {
        var lr = base
        for _ in 0..<(max(epoch, 0) / max(stepSize, 1)) { lr *= gamma }
        return lr
    }

    /// Advances to the next epoch (call it where the original calls `scheduler.step()`, at the
    /// start of each epoch) and sets the optimizer's learning rate.
    public func step() {
        lastEpoch += 1
        optimizer.learningRate = learningRate(atEpoch: lastEpoch)
    }
}
