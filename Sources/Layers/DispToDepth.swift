import TensorCore

/// `disp_to_depth`: scaled = 1/maxDepth + (1/minDepth − 1/maxDepth)·disp, depth = 1/scaled.
/// The constants are formed in Double and rounded once to Float, as PyTorch does with Python floats.
public func dispToDepth(_ disparity: Tensor, minDepth: Double, maxDepth: Double) -> (scaledDisparity: Tensor, depth: Tensor) {
    precondition(minDepth > 0 && maxDepth > minDepth, "dispToDepth: min depth \(minDepth), max depth \(maxDepth)")
    let minDisp = 1 / maxDepth, maxDisp = 1 / minDepth
    let scaled = Float(minDisp) + Float(maxDisp - minDisp) * disparity
    return (scaled, 1 / scaled)
}
