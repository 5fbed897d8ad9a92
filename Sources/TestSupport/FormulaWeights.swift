import ArrayIO

/// The deterministic "formula weights" of the reference fixtures (`reference/torch/formula.py`):
/// every state_dict entry is a pure function of (salt, key, shape), so networks are rebuilt bit for
/// bit without weight files. Float32 arithmetic, each operation rounded, no fused multiply-add.
public enum FormulaWeights {
    /// The salt every fixture under `reference/torch` uses.
    public static let parity = "md2-parity"

    /// FNV-1a 64-bit over the UTF-8 bytes of `text`.
    public static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }

    /// `count` SplitMix64 draws from `seed`, each mapped to `Float32(z >> 40) * 2^-24` in [0, 1).
    public static func uniforms(seed: UInt64, count: Int) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Float(z >> 40) * 0x1p-24
        }
    }

    /// The float32 values (row-major) of the entry `key` with `shape`. Not for `num_batches_tracked`
    /// (int64 zeros: see `array(key:shape:salt:)`) and not for other 0-d keys (the formula has none).
    public static func values(key: String, shape: [Int], salt: String = parity) -> [Float] {
        precondition(!key.hasSuffix("num_batches_tracked"), "FormulaWeights.values: \(key) is an int64 counter")
        precondition(!shape.isEmpty, "FormulaWeights.values: no formula for 0-d key \(key)")
        let u = uniforms(seed: fnv1a64(salt + ":" + key), count: shape.reduce(1, *))
        let one: Float = 1, two: Float = 2
        if key.hasSuffix("running_mean") { return u.map { (two * $0 - one) * Float(0.1) } }
        if key.hasSuffix("running_var") { return u.map { Float(0.5) + $0 } }
        if shape.count >= 2 {
            let fanIn = shape.dropFirst().reduce(1, *)
            let bound = Float((Double(3) / Double(fanIn)).squareRoot())
            return u.map { (two * $0 - one) * bound }
        }
        if key.hasSuffix(".bias") { return u.map { (two * $0 - one) * Float(0.1) } }
        return u.map { Float(0.8) + Float(0.4) * $0 }
    }

    /// The int64 values of an integer entry (`num_batches_tracked`: zeros).
    public static func int64Values(key: String, shape: [Int]) -> [Int64] {
        precondition(key.hasSuffix("num_batches_tracked"), "FormulaWeights.int64Values: \(key) is not an int64 counter")
        return [Int64](repeating: 0, count: shape.reduce(1, *))
    }

    /// The entry as an array: int64 for `num_batches_tracked`, float32 otherwise.
    public static func array(key: String, shape: [Int], salt: String = parity) -> NDArray {
        if key.hasSuffix("num_batches_tracked") {
            let values = int64Values(key: key, shape: shape)
            return NDArray(elementType: .int64, shape: shape, bytes: values.withUnsafeBytes { Array($0) })
        }
        return NDArray(shape: shape, floats: values(key: key, shape: shape, salt: salt))
    }
}
