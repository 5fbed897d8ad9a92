import TensorCore

/// The losses of one step, read on the host: `loss`, `loss/s`, and the mean of
/// `identity_selection/s` per scale (nil without automasking).
public struct StepLosses: Sendable {
    public var total: Float
    /// `loss/s` in `scales` order.
    public var perScale: [Float]
    public var scales: [Int]
    public var identitySelectionMean: [Float]?

    /// `("loss", total), ("loss/0", …)`: the original's `losses` dictionary, in logging order.
    public var named: [(name: String, value: Float)] {
        [("loss", total)] + zip(scales, perScale).map { ("loss/\($0.0)", $0.1) }
    }
}

/// What one step's forward produced (all detached, so holding them keeps no tape alive): enough
/// for logging (disparities, warped scale-0 images, automasks) and for parity checks.
public struct StepOutputs {
    /// `("disp", s)` (B, 1, H/2^s, W/2^s).
    public var disparities: [Int: Tensor] = [:]
    /// `("depth", 0, s)` (B, 1, H, W), or native size with --v1_multiscale.
    public var depths: [Int: Tensor] = [:]
    /// `("axisangle", 0, f)`, `("translation", 0, f)` (B, frames, 1, 3) and `("cam_T_cam", 0, f)`
    /// (B, 4, 4) per temporal source frame.
    public var axisangles: [Int: Tensor] = [:]
    public var translations: [Int: Tensor] = [:]
    public var cameraTransforms: [Int: Tensor] = [:]
    /// `("color", f, 0)` warped source images and `("sample", f, 0)` grids at scale 0.
    public var warped: [FrameID: Tensor] = [:]
    public var samples: [FrameID: Tensor] = [:]
    /// `identity_selection/s` (B, H, W) floats, with automasking.
    public var identitySelection: [Int: Tensor] = [:]
    /// `outputs["predictive_mask"][("disp", s)]` with --predictive_mask.
    public var predictiveMasks: [Int: Tensor] = [:]
}

/// Losses and outputs of one step.
public struct StepResult {
    public var losses: StepLosses
    public var outputs: StepOutputs
}
