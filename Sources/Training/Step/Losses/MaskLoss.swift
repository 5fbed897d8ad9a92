import TensorCore

/// `nn.BCELoss()(mask, ones)`: mean of −max(log m, −100), with torch's gradient
/// (m − 1)/max((1 − m)·m, 1e-12) per element (0 where m is exactly 1).
public func binaryCrossEntropyWithOnes(_ mask: Tensor) -> Tensor {
    let m = mask.detached()
    let count = Float(Swift.max(m.count, 1))
    let value = (-(m.log().clamped(min: -100))).mean()
    return Tensor.differentiable("bce_ones", output: value, inputs: [mask]) { g, need in
        guard need[0] else { return [nil] }
        let perElement = (m - 1) / maximum((1 - m) * m, Tensor(1e-12, on: m.backend))
        return [perElement * (g / count)]
    }
}
