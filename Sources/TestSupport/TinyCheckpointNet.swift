import ParityWeights
import TensorCore

/// A conv + BatchNorm pair with formula weights: parameters, float buffers and an int64 counter,
/// like the real networks, small enough for checkpoint tests that write many folders.
public final class TinyCheckpointNet: Module {
    public let conv: Conv2d
    public let bn = BatchNorm2d(4)

    public init(salt: String) {
        conv = Conv2d(weight: FormulaWeights.tensor(key: "w", shape: [4, 3, 3, 3], salt: salt),
                      bias: FormulaWeights.tensor(key: "b.bias", shape: [4], salt: salt), padding: 1)
        FormulaWeights.fill(bn, salt: salt)
    }

    public var entries: [ModuleEntry] { [.child("conv", conv), .child("bn", bn)] }
}

/// An Adam over `parameters` after two steps on formula gradients, with state for all but the
/// last parameter (like the unused `encoder.fc`).
public func steppedAdam(_ parameters: [Parameter], salt: String) -> Adam {
    let adam = Adam(parameters: parameters, learningRate: 1e-4, rule: .torch041)
    for _ in 0..<2 {
        for (index, p) in parameters.enumerated().dropLast() {
            p.grad = FormulaWeights.tensor(key: "g\(index)", shape: p.value.shape, salt: salt)
        }
        adam.step()
    }
    return adam
}
