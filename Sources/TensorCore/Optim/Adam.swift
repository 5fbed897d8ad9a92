import Kernels

/// torch.optim.Adam over a fixed, ordered parameter list (the order is the checkpoint's
/// parameter index). State lives in tensors on the parameters' backend, created at a
/// parameter's first step with a gradient (like torch), so it can be saved and moved.
public final class Adam {
    /// Per-parameter state: step count and the two moment tensors (torch `exp_avg`, `exp_avg_sq`).
    public struct State {
        public var step: Int
        public var expAvg: Tensor
        public var expAvgSq: Tensor
        public init(step: Int, expAvg: Tensor, expAvgSq: Tensor) { self.step = step; self.expAvg = expAvg; self.expAvgSq = expAvgSq }
    }

    public let parameters: [Parameter]
    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    public var weightDecay: Double
    /// Which torch version's update to reproduce (`.torch041`: what Monodepth2 was trained with).
    public var rule: AdamRule
    /// State by parameter index; nil until that parameter's first update.
    public var states: [State?]

    public init(parameters: [Parameter], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                epsilon: Double = 1e-8, weightDecay: Double = 0, rule: AdamRule = .modern) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = betas.0
        self.beta2 = betas.1
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.rule = rule
        self.states = Array(repeating: nil, count: parameters.count)
    }

    /// Updates every parameter that has a gradient (others are skipped, like torch).
    public func step() {
        for (i, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            precondition(g.shape == p.value.shape, "Adam: gradient \(g.shape) for parameter \(p.value.shape) (index \(i))")
            // The update is in place: make the parameter's own buffer contiguous and unshared.
            if !p.value.isContiguous || p.value.isTracked { p.value = p.value.detached().contiguousCopyForUpdate() }
            var state = states[i] ?? State(step: 0, expAvg: p.value.zerosLike(), expAvgSq: p.value.zerosLike())
            state.step += 1
            let h = AdamStepParameters(rule: rule, learningRate: learningRate, beta1: beta1, beta2: beta2,
                                       epsilon: epsilon, weightDecay: weightDecay, step: state.step)
            p.value.backend.adamUpdate(h, parameter: p.value, gradient: g, expAvg: state.expAvg, expAvgSq: state.expAvgSq)
            states[i] = state
        }
    }

    /// Clears every gradient (torch `zero_grad(set_to_none=True)`).
    public func zeroGradients() {
        for p in parameters { p.grad = nil }
    }
}

extension Tensor {
    func contiguousCopyForUpdate() -> Tensor { backend.contiguousCopy(self) }
}
