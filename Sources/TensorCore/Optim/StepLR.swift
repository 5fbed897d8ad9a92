/// torch.optim.lr_scheduler.StepLR: lr = base · gamma^⌊epoch / stepSize⌋ (the closed form of
/// torch 0.4.1's `get_lr`). Call `step()` once per epoch, where the original calls
/// `scheduler.step()`; it sets the optimizer's learning rate.
public final class StepLR {
    public let optimizer: Adam
    public let stepSize: Int
    public let gamma: Double
    public let baseLearningRate: Double
    /// The scheduler's `last_epoch` (0 after construction).
    public private(set) var epoch = 0

    public init(optimizer: Adam, stepSize: Int, gamma: Double = 0.1) {
        precondition(stepSize > 0, "StepLR: step size \(stepSize)")
        self.optimizer = optimizer
        self.stepSize = stepSize
        self.gamma = gamma
        self.baseLearningRate = optimizer.learningRate
    }

    /// The learning rate for `epoch`.
    public func learningRate(atEpoch epoch: Int) -> Double {
        var lr = baseLearningRate
        for _ in 0..<(epoch / stepSize) { lr *= gamma }
        return lr
    }

    /// Advances one epoch and updates the optimizer's learning rate.
    public func step() {
        epoch += 1
        optimizer.learningRate = learningRate(atEpoch: epoch)
    }
}
