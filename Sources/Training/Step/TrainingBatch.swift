import KITTIData
import TensorCore

/// One batch as MonoDataset + the DataLoader deliver it (datasets/mono_dataset.py `MonoDataset.__getitem__`), for the frames and
/// scales of a configuration: images (B, 3, H/2^s, W/2^s) in [0, 1], intrinsics per scale, and the
/// stereo transform.
public struct TrainingBatch {
    /// `("color", f, s)`: non-augmented images, per frame, indexed by scale (0…3).
    public var color: [FrameID: [Tensor]]
    /// `("color_aug", f, 0)`: the augmented scale-0 images the networks see (nil: same as color).
    public var colorAugmented: [FrameID: Tensor]?
    /// `("K", s)` and `("inv_K", s)` (B, 4, 4), indexed by scale.
    public var intrinsics: [Tensor]
    public var inverseIntrinsics: [Tensor]
    /// `stereo_T` (B, 4, 4), when the stereo frame is used.
    public var stereoTransform: Tensor?

    public init(color: [FrameID: [Tensor]], colorAugmented: [FrameID: Tensor]? = nil, intrinsics: [Tensor],
                inverseIntrinsics: [Tensor], stereoTransform: Tensor? = nil) {
        self.color = color; self.colorAugmented = colorAugmented; self.intrinsics = intrinsics
        self.inverseIntrinsics = inverseIntrinsics; self.stereoTransform = stereoTransform
    }

    /// `("color", f, s)`.
    public func color(_ frame: FrameID, scale: Int) -> Tensor {
        guard let pyramid = color[frame], scale < pyramid.count else {
            preconditionFailure("TrainingBatch: no image for frame \(frame) at scale \(scale)")
        }
        return pyramid[scale]
    }

    /// `("color_aug", f, 0)`.
    public func augmented(_ frame: FrameID) -> Tensor { colorAugmented?[frame] ?? color(frame, scale: 0) }

    /// The batch size.
    public var batchSize: Int { intrinsics.first?.shape[0] ?? 0 }
}

extension TrainingBatch {
    /// A data-loader batch (KITTIData.Batch): `color` and `color_aug` at every scale of its frames.
    public init(_ batch: Batch) {
        var color: [FrameID: [Tensor]] = [:], augmented: [FrameID: Tensor] = [:]
        for f in batch.frameIDs {
            color[f] = (0..<batch.numScales).map { batch.color(f, scale: $0) }
            augmented[f] = batch.colorAug(f, scale: 0)
        }
        self.init(color: color, colorAugmented: augmented, intrinsics: batch.K, inverseIntrinsics: batch.invK,
                  stereoTransform: batch.stereoT)
    }
}
