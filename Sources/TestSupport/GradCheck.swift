import TensorCore

/// Outcome of a finite-difference gradient check.
public struct GradientCheckResult: CustomStringConvertible {
    /// max |analytic − numeric| / max(max |numeric|, floor) over all inputs.
    public var relativeError: Float
    /// Which input and element is worst, and both values there.
    public var worstInput: Int
    public var worstIndex: Int
    public var analytic: Float
    public var numeric: Float

    public var description: String {
        "gradcheck: rel-to-max error \(relativeError) at input \(worstInput)[\(worstIndex)]: analytic \(analytic), numeric \(numeric)"
    }
}

/// Central-difference gradient check of `f` at `inputs` (float32, small shapes).
///
/// The scalar checked is L = Σ f(inputs) ⊙ W with a fixed pseudo-random W, summed in Double on
/// the host so only the op's own rounding enters the numeric derivative
/// (L(x + ε) − L(x − ε)) / 2ε. Float32-aware: use ε ~ 1e-2…1e-3 and keep inputs at least ε away
/// from kinks (ReLU at 0, ties in max/min, integer grid positions). The analytic gradient comes
/// from one `Tape`. Error measure: rel-to-max over each input's numeric gradient (floor 1e-3).
public func gradientCheck(_ inputs: [Tensor], epsilon: Float = 1e-2, seed: UInt64 = 7,
                          _ f: ([Tensor]) -> Tensor) -> GradientCheckResult {
    let probe = f(inputs)
    var rng = RandomGenerator(seed: seed)
    let weights = (0..<probe.count).map { _ in Double(rng.uniform(-1, 1)) }
    let weightTensor = Tensor(shape: probe.shape, scalars: weights.map { Float($0) }, on: probe.backend)

    let tape = Tape()
    let watched = inputs.map { tape.watch($0) }
    let loss = (f(watched) * weightTensor).sum()
    let grads = tape.backward(loss)
    let analytic = watched.map { grads[$0]?.scalars() ?? [Float](repeating: 0, count: $0.count) }

    func lossValue(_ xs: [Tensor]) -> Double {
        let out = f(xs).scalars()
        var s = 0.0
        for i in 0..<out.count { s += Double(out[i]) * weights[i] }
        return s
    }

    var result = GradientCheckResult(relativeError: 0, worstInput: 0, worstIndex: 0, analytic: 0, numeric: 0)
    for (k, x) in inputs.enumerated() {
        let base = x.scalars()
        var numeric = [Float](repeating: 0, count: base.count)
        for i in 0..<base.count {
            var plus = base, minus = base
            plus[i] += epsilon
            minus[i] -= epsilon
            var xsPlus = inputs, xsMinus = inputs
            xsPlus[k] = Tensor(shape: x.shape, scalars: plus, on: x.backend)
            xsMinus[k] = Tensor(shape: x.shape, scalars: minus, on: x.backend)
            // Divide by the step actually taken in Float32.
            let step = Double(plus[i]) - Double(minus[i])
            numeric[i] = Float((lossValue(xsPlus) - lossValue(xsMinus)) / step)
        }
        let scale = max(numeric.map { abs($0) }.max() ?? 0, 1e-3)
        for i in 0..<base.count {
            let e = abs(analytic[k][i] - numeric[i]) / scale
            if e > result.relativeError || e.isNaN {
                result = GradientCheckResult(relativeError: e.isNaN ? .infinity : e, worstInput: k, worstIndex: i,
                                             analytic: analytic[k][i], numeric: numeric[i])
            }
        }
    }
    return result
}
