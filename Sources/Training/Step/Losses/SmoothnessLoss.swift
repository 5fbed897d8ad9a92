import Layers
import TensorCore

/// The disparity divided by its per-image mean over H and W (+1e-7), as `compute_losses` normalises
/// it before the smoothness term.
public func meanNormalisedDisparity(_ d: Tensor) -> Tensor {
    d / (d.mean(axes: [2], keepingDimensions: true).mean(axes: [3], keepingDimensions: true) + 1e-7)
}
