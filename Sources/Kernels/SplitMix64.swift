/// SplitMix64 (Steele, Lea and Flood 2014; the finaliser is Stafford's "Mix13"): the one seed mixer
/// and small seedable generator of the package. Every seeded stream is derived through it: the
/// kernels' counter-based normal noise, the tensor generator's seeding, the data loader's
/// per-item choices, the synthetic world, the parity fixtures' formula weights and the tests'
/// random inputs. Values are part of the fixtures and of every seeded run, so they never change.
///
/// As a generator, `next()` adds γ to the state and returns the finalised state: the p-th output
/// (p from 0) of a generator seeded with `s` is `mix(s &+ (p + 1) &* γ)`, which `output(seed:index:)`
/// computes without walking the stream.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The increment γ (2^64 / φ, odd).
    public static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    public var state: UInt64

    @inlinable
    public init(seed: UInt64) { state = seed }

    /// The next 64 bits: the state advanced by γ, finalised.
    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= Self.gamma
        return Self.mix(state)
    }

    /// The finaliser alone: a bijective avalanche of 64 bits.
    @inlinable @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The `index`-th output (from 0) of the generator seeded with `seed`, in O(1): a pure function
    /// of (seed, index), so parallel work can draw any element without sharing a state.
    @inlinable @inline(__always)
    public static func output(seed: UInt64, index: UInt64) -> UInt64 {
        mix(seed &+ (index &+ 1) &* gamma)
    }
}
