import ArrayIO
import Kernels
import TensorCore

/// The deterministic "formula weights" of the PyTorch parity fixtures, for the tests and `bench`
/// (../shared/reference/torch/README.md "Formula weights", `formula.py`): every state-dict
/// entry is a pure function of (salt, key, shape), so networks can be rebuilt bit for bit
/// without weight files. All fixtures use the salt `md2-parity`.
public enum FormulaWeights {
    /// The salt of every reference fixture.
    public static let paritySalt = "md2-parity"

    /// FNV-1a 64-bit hash of the UTF-8 bytes of `text`.
    public static func fnv1a64(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    /// `count` SplitMix64 draws from `seed`, each mapped to Float(z >> 40) · 2^-24 ∈ [0, 1).
    public static func uniforms(seed: UInt64, count: Int) -> [Float] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in Float(generator.next() >> 40) * 0x1p-24 }
    }

    /// The float values (row-major) of the entry `key` with `shape`. Each operation is one
    /// rounded Float32 operation, left to right (Swift never fuses `a * b + c`).
    /// Not for `num_batches_tracked` (an int64 zero; see `tensor(key:shape:salt:)`).
    public static func values(key: String, shape: [Int], salt: String = paritySalt) -> [Float] {
        let n = shape.reduce(1, *)
        let u = uniforms(seed: fnv1a64(salt + ":" + key), count: n)
        let one: Float = 1, two: Float = 2
        if key.hasSuffix("running_mean") { return u.map { (two * $0 - one) * Float(0.1) } }
        if key.hasSuffix("running_var") { return u.map { Float(0.5) + $0 } }
        if shape.count >= 2 {
            let fanIn = shape.dropFirst().reduce(1, *)
            let b = Float((Double(3) / Double(fanIn)).squareRoot())
            return u.map { (two * $0 - one) * b }
        }
        precondition(shape.count == 1, "FormulaWeights: no formula for rank-0 key \(key)")
        if key.hasSuffix(".bias") { return u.map { (two * $0 - one) * Float(0.1) } }
        return u.map { Float(0.8) + Float(0.4) * $0 }
    }

    /// The formula tensor for `key` (int64 0-d zero for `num_batches_tracked`).
    public static func tensor(key: String, shape: [Int], salt: String = paritySalt,
                              on backend: any Backend = CPUBackend.shared) -> Tensor {
        if key.hasSuffix("num_batches_tracked") { return Tensor.zeros(shape, dtype: .int64, on: backend) }
        return Tensor(shape: shape, scalars: values(key: key, shape: shape, salt: salt), on: backend)
    }

    /// Sets every parameter and buffer of `module` to its formula value (keys as the module
    /// names them, optionally under `prefix`).
    public static func fill(_ module: any Module, prefix: String = "", salt: String = paritySalt) {
        for entry in module.stateEntries(prefix: prefix) {
            entry.assign(tensor(key: entry.key, shape: entry.value.shape, salt: salt, on: entry.value.backend))
        }
    }

    /// The int64 values of an integer entry (`num_batches_tracked`: zeros).
    public static func int64Values(key: String, shape: [Int]) -> [Int64] {
        precondition(key.hasSuffix("num_batches_tracked"), "FormulaWeights.int64Values: \(key) is not an int64 counter")
        return [Int64](repeating: 0, count: shape.reduce(1, *))
    }

    /// The entry as a host array: int64 for `num_batches_tracked`, float32 otherwise.
    public static func array(key: String, shape: [Int], salt: String = paritySalt) -> NDArray {
        if key.hasSuffix("num_batches_tracked") {
            let values = int64Values(key: key, shape: shape)
            return NDArray(elementType: .int64, shape: shape, bytes: values.withUnsafeBytes { Array($0) })
        }
        return NDArray(shape: shape, floats: values(key: key, shape: shape, salt: salt))
    }
}
