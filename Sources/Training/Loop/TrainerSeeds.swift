import Kernels

/// The seeds of a run's random streams, each derived from `--seed` (SplitMix64 finaliser of a
/// distinct combination), so that every stream of epoch e is known without replaying epochs 0..<e.
public enum TrainerSeeds {
    /// The networks' scratch initialisation.
    public static func initialisation(seed: UInt64) -> UInt64 { mix(seed ^ 0x1A17_0000_0000_0001) }
    /// The automask tie-break noise of epoch `epoch`.
    public static func noise(seed: UInt64, epoch: Int) -> UInt64 { mix(mix(seed ^ 0x7015_E000_0000_0002) &+ UInt64(epoch)) }
    /// The validation loader's shuffles.
    public static func validation(seed: UInt64) -> UInt64 { mix(seed ^ 0x7A11_0000_0000_0003) }

    /// SplitMix64's first output for seed `value` (its finaliser of `value + γ`).
    static func mix(_ value: UInt64) -> UInt64 { SplitMix64.output(seed: value, index: 0) }
}
