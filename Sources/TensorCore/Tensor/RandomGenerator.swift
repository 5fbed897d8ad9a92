import Kernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A seeded pseudo-random generator (xoshiro256**, state seeded by SplitMix64). It is a value
/// the caller owns and passes `inout` wherever randomness is drawn: there is no global RNG.
public struct RandomGenerator: Sendable {
    private var s0, s1, s2, s3: UInt64

    public init(seed: UInt64) {
        var splitMix = SplitMix64(seed: seed)
        s0 = splitMix.next(); s1 = splitMix.next(); s2 = splitMix.next(); s3 = splitMix.next()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform Float in [0, 1) with 24 random bits.
    public mutating func uniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// A uniform Float in [lower, upper).
    public mutating func uniform(_ lower: Float, _ upper: Float) -> Float { lower + (upper - lower) * uniform() }

    /// A standard normal Float (Box–Muller in Double).
    public mutating func normal() -> Float {
        let u1 = max(Double(next() >> 11) * 0x1p-53, .leastNonzeroMagnitude)
        let u2 = Double(next() >> 11) * 0x1p-53
        return Float((-2 * Foundation_log(u1)).squareRoot() * Foundation_cos(2 * Double.pi * u2))
    }

    /// A uniform integer in 0..<bound.
    public mutating func integer(below bound: Int) -> Int {
        precondition(bound > 0, "RandomGenerator.integer(below:): bound \(bound)")
        return Int(next() % UInt64(bound))
    }
}

@inline(__always) private func Foundation_log(_ x: Double) -> Double { log(x) }
@inline(__always) private func Foundation_cos(_ x: Double) -> Double { cos(x) }

extension Tensor {
    /// A float32 tensor of uniform values in [lower, upper), drawn on the host in row-major order.
    public static func uniform(_ shape: [Int], lower: Float = 0, upper: Float = 1, generator: inout RandomGenerator,
                               on backend: any Backend = CPUBackend.shared) -> Tensor {
        let values = (0..<Shape.count(shape)).map { _ in generator.uniform(lower, upper) }
        return Tensor(shape: shape, scalars: values, on: backend)
    }

    /// A float32 tensor of normal values with `mean` and `standardDeviation`, drawn on the
    /// backend by its counter-based generator (parallel; Kernels/NormalNoise.swift) from one
    /// 64-bit key taken from `generator`: the values depend on the generator's state only, not
    /// on the thread count. E.g. the automask tie-break noise, `normal(shape, standardDeviation: 1e-5, …)`.
    public static func normal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1, generator: inout RandomGenerator,
                              on backend: any Backend = CPUBackend.shared) -> Tensor {
        backend.randomNormal(shape: shape, mean: mean, standardDeviation: standardDeviation, key: generator.next())
    }
}
