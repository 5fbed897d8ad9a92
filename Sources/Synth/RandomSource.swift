import Kernels

/// The world's random draws: `SplitMix64` seeded with (seed, stream). The whole world is a pure
/// function of the seed, so the generator is passed around explicitly (no global state) and
/// consumed in a fixed order.
struct RandomSource {
    private var splitMix: SplitMix64

    init(seed: UInt64, stream: UInt64 = 0) {
        splitMix = SplitMix64(seed: seed &+ stream &* SplitMix64.gamma)
        _ = next()
    }

    mutating func next() -> UInt64 { splitMix.next() }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [low, high).
    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    /// Uniform in [low, high) as Float.
    mutating func float(_ low: Float, _ high: Float) -> Float { Float(uniform(Double(low), Double(high))) }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Uniform integer in `range`.
    mutating func integer(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// A 32-bit seed for a texture or an object's variations.
    mutating func seed32() -> UInt32 { UInt32(truncatingIfNeeded: next() >> 32) }

    /// One element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T { items[integer(0...(items.count - 1))] }
}
