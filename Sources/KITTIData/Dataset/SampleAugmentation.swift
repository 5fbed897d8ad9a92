import ImageIO
import Kernels

/// The random choices of one training item (`datasets/mono_dataset.py MonoDataset.__getitem__`,
/// `do_color_aug` and `do_flip`): a left-right flip of every frame
/// (and of depth_gt), and one colour jitter for all frames and scales of `color_aug`.
public struct SampleAugmentation: Sendable, Equatable {
    public var flip: Bool
    /// nil: `color_aug` equals `color`.
    public var jitter: ColorJitter?

    public init(flip: Bool = false, jitter: ColorJitter? = nil) {
        self.flip = flip
        self.jitter = jitter
    }

    /// No flip, no jitter (validation items).
    public static let none = SampleAugmentation()

    /// The choices for dataset item `index` in `epoch` of a run seeded with `seed`, as
    /// `MonoDataset.__getitem__` makes them: colour augmentation with p 0.5, then flip with p 0.5,
    /// then (if augmenting) torchvision 0.2.1's jitter parameters and order. Every draw comes from a
    /// generator derived from (seed, epoch, index) alone, so the result does not depend on which
    /// worker thread loads the item or in which order.
    public static func random(seed: UInt64, epoch: Int, index: Int) -> SampleAugmentation {
        var generator = ItemGenerator(seed: seed, stream: UInt64(bitPattern: Int64(epoch)), index: UInt64(index))
        let colourAugmentation = generator.uniform() > 0.5
        let flip = generator.uniform() > 0.5
        let jitter = colourAugmentation ? ColorJitter.random(using: &generator) : nil
        return SampleAugmentation(flip: flip, jitter: jitter)
    }
}

/// SplitMix64 seeded by hashing (seed, stream, index) with its finaliser: the generator of one item
/// (or, with a reserved index, of one epoch's shuffle).
struct ItemGenerator: RandomNumberGenerator {
    private var splitMix: SplitMix64

    init(seed: UInt64, stream: UInt64, index: UInt64) {
        var h = SplitMix64.mix(seed ^ 0x6D64_3264_6174_6131)  // "md2data1"
        h = SplitMix64.mix(h ^ stream &* SplitMix64.gamma)
        h = SplitMix64.mix(h ^ index &* 0xC2B2_AE3D_27D4_EB4F)
        splitMix = SplitMix64(seed: h)
    }

    mutating func next() -> UInt64 { splitMix.next() }

    /// A uniform Double in [0, 1) with 53 random bits (like Python's `random.random()`).
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
}
