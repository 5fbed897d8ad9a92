import TensorCore

/// The per-pixel minimum over reprojection errors (trainer.py `compute_losses`: identity_reprojection_loss, the tie-break noise, torch.min).
public struct MinimumReprojection {
    /// (B, 1, H, W) when one channel was given, else (B, H, W): the error each pixel optimises.
    public let loss: Tensor
    /// (B, H, W) float: 1 where a warped source won over every identity channel (the
    /// original's `identity_selection/s`); nil without automasking.
    public let identitySelection: Tensor?
}

/// Automasking and the per-pixel minimum: `identity` (B, nI, H, W) unwarped-source errors (or nil
/// without automasking) go FIRST, plus `noise` (same shape; the tie-break draw or nil), then the
/// `reprojection` errors (B, nR, H, W); the minimum over channels routes the gradient to the first
/// minimum. One channel in total is used as is.
public func minimumReprojection(reprojection: Tensor, identity: Tensor?, noise: Tensor?) -> MinimumReprojection {
    guard var identity else {
        precondition(noise == nil, "minimumReprojection: tie-break noise without identity errors")
        let loss = reprojection.shape[1] == 1 ? reprojection : reprojection.min(axis: 1).values
        return MinimumReprojection(loss: loss, identitySelection: nil)
    }
    if let noise { identity = identity + noise }
    let identityChannels = identity.shape[1]
    let (values, indices) = concat([identity, reprojection], axis: 1).min(axis: 1)
    let bound = Tensor.full([], Double(identityChannels - 1), on: indices.backend)
    let selection = greater(indices.converted(to: .float32), bound).converted(to: .float32)
    return MinimumReprojection(loss: values, identitySelection: selection)
}
