// One Adam step on contiguous parameter / gradient / moment buffers, with PyTorch's exact float32
// operation order (reference/torch/README.md "Adam"), in place.

/// Which PyTorch Adam update to reproduce.
public enum AdamRule: Sendable, Equatable {
    /// torch ≥ 1.x `_single_tensor_adam`: m = lerp(m, g, 1−β1); v = v·β2 + (1−β2)·g·g;
    /// p += (−lr/bc1) · m / (sqrt(v)/sqrt(bc2) + eps).
    case modern
    /// torch 0.4.1 (what Monodepth2 was trained with): m = m·β1 + (1−β1)·g; v likewise;
    /// p += (−lr·sqrt(bc2)/bc1) · m / (sqrt(v) + eps).
    case torch041
}

/// Hyper-parameters of one step; `step` is the 1-based step count after incrementing.
public struct AdamStepParameters: Sendable {
    public var rule: AdamRule
    public var learningRate, beta1, beta2, epsilon, weightDecay: Double
    public var step: Int
    public init(rule: AdamRule, learningRate: Double, beta1: Double, beta2: Double, epsilon: Double,
                weightDecay: Double, step: Int) {
        self.rule = rule; self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2
        self.epsilon = epsilon; self.weightDecay = weightDecay; self.step = step
    }
}

/// Updates `param`, `expAvg` and `expAvgSq` (all `count` elements) from `grad`.
/// Scalars are formed in Double as Python does and rounded to Float once, like torch's scalar
/// arguments; the vector arithmetic is Float in torch's order.
public func adamUpdate(_ h: AdamStepParameters, param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
                       expAvg: UnsafeMutablePointer<Float>, expAvgSq: UnsafeMutablePointer<Float>, count: Int) {
    let t = Double(h.step)
    let bc1 = 1 - pow(h.beta1, t), bc2 = 1 - pow(h.beta2, t)
    let oneMinusB1 = Float(1 - h.beta1), oneMinusB2 = Float(1 - h.beta2)
    let b1 = Float(h.beta1), b2 = Float(h.beta2), eps = Float(h.epsilon), wd = Float(h.weightDecay)
    let useDecay = h.weightDecay != 0
    let ps = SendablePointer(param), gs = SendablePointer(UnsafeMutablePointer(mutating: grad))
    let ms = SendablePointer(expAvg), vs = SendablePointer(expAvgSq)
    let chunks = (count + elementwiseChunk - 1) / elementwiseChunk
    switch h.rule {
    case .modern:
        let negStep = Float(-(h.learningRate / bc1))
        let bc2Sqrt = Float(bc2.squareRoot())
        splitWork(chunks, picoseconds: count * 1500) { chunk in
            let start = chunk * elementwiseChunk, n = min(elementwiseChunk, count - start)
            let p = ps.pointer + start, g = gs.pointer + start, m = ms.pointer + start, v = vs.pointer + start
            for i in 0..<n {
                let gi = useDecay ? g[i] + wd * p[i] : g[i]
                // torch's vectorised lerp: fmadd(weight, end − start, start) for weight < 0.5.
                m[i] = m[i].addingProduct(oneMinusB1, gi - m[i])
                v[i] = v[i] * b2 + oneMinusB2 * gi * gi
                let denom = v[i].magnitude.squareRoot() / bc2Sqrt + eps
                p[i] = p[i] + negStep * m[i] / denom
            }
        }
    case .torch041:
        let negStep = Float(-(h.learningRate * bc2.squareRoot() / bc1))
        splitWork(chunks, picoseconds: count * 1500) { chunk in
            let start = chunk * elementwiseChunk, n = min(elementwiseChunk, count - start)
            let p = ps.pointer + start, g = gs.pointer + start, m = ms.pointer + start, v = vs.pointer + start
            for i in 0..<n {
                let gi = useDecay ? g[i] + wd * p[i] : g[i]
                m[i] = m[i] * b1 + oneMinusB1 * gi
                v[i] = v[i] * b2 + oneMinusB2 * gi * gi
                let denom = v[i].magnitude.squareRoot() + eps
                p[i] = p[i] + negStep * m[i] / denom
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
