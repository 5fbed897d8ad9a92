import Layers
import Networks
import TensorCore
import TestSupport
import XCTest

/// Pose encoder (ResNet-18, 2 images) + PoseDecoder(num_ch_enc, 1, 2) in eval mode against
/// ../shared/reference/torch/forward (one 640x192 forward), and the pose matrices.
final class PoseParityTests: XCTestCase {
    /// Built by the first test that asks; a missing input skips every test that asks.
    static let shared = SharedFixture<(feature: Tensor, poses: PoseOutputs)> {
        let input = try forwardFixture("pose_input_640x192")
        let encoder = FormulaNetworks.encoder(inputImages: 2)
        let features = encoder(input)
        return (features[4], FormulaNetworks.poseDecoder()([features]))
    }

    func testPoseEncoderFeature() throws {
        assertRelativeToMax(try Self.shared.value().feature, try forwardFixture("pose_encoder_feature_4"), 1e-4, "pose encoder feature 4")
    }

    func testAxisAngleAndTranslation() throws {
        let poses = try Self.shared.value().poses
        assertRelativeToMax(poses.axisangle, try forwardFixture("pose_axisangle"), 1e-4, "axisangle")
        assertRelativeToMax(poses.translation, try forwardFixture("pose_translation"), 1e-4, "translation")
    }

    func testTransforms() throws {
        let poses = try Self.shared.value().poses
        let axisangle = poses.axisangle.selecting(1, 0), translation = poses.translation.selecting(1, 0)
        for (index, invert) in [false, true].enumerated() {
            let t = transformationFromParameters(axisangle: axisangle, translation: translation, invert: invert)
            // README: T max abs 1e-6 (floor 3.2e-8).
            assertMaxAbsolute(t, try forwardFixture("pose_T_invert\(index)"), 1e-6, "T invert=\(invert)")
        }
    }

    /// The fused encoder path handles multi-image inputs too (small input, against the module path).
    func testFusedPoseEncoderMatchesModules() {
        var rng = RandomGenerator(seed: 4)
        let image = Tensor.uniform([1, 6, 64, 64], generator: &rng)
        let encoder = FormulaNetworks.encoder(inputImages: 2)
        let expected = encoder(image)
        let actual = EncoderInference(encoder)(image)
        for level in 0..<5 { assertRelativeToMax(actual[level], expected[level], 1e-5, "feature \(level)") }
    }

    /// PoseCNN: key order (pose_conv first), shapes, and its output layout on a small input.
    func testPoseCNN() {
        var rng = RandomGenerator(seed: 9)
        let net = PoseCNN(inputFrames: 3, generator: &rng)
        let keys = net.stateEntries().map(\.key)
        XCTAssertEqual(Array(keys.prefix(4)), ["pose_conv.weight", "pose_conv.bias", "net.0.weight", "net.0.bias"])
        XCTAssertEqual(keys.count, 16)
        XCTAssertEqual(net.stateDict()["net.0.weight"]?.shape, [16, 9, 7, 7])
        XCTAssertEqual(net.stateDict()["pose_conv.weight"]?.shape, [12, 256, 1, 1])
        let image = Tensor.uniform([2, 9, 128, 128], generator: &rng)
        let poses = net(image)
        XCTAssertEqual(poses.axisangle.shape, [2, 2, 1, 3])
        XCTAssertEqual(poses.translation.shape, [2, 2, 1, 3])
        // axisangle / translation are 0.01 × the spatial mean of pose_conv's output channels 0-2 / 3-5.
        var out = image
        for conv in net.convs { out = conv(out).relu() }
        let means = net.poseConv(out).mean(axes: [2, 3]).scalars()
        let aa = poses.axisangle.scalars(), tr = poses.translation.scalars()
        for b in 0..<2 {
            for f in 0..<2 {
                for k in 0..<3 {
                    XCTAssertEqual(aa[(b * 2 + f) * 3 + k], 0.01 * means[b * 12 + f * 6 + k], accuracy: 1e-6)
                    XCTAssertEqual(tr[(b * 2 + f) * 3 + k], 0.01 * means[b * 12 + f * 6 + 3 + k], accuracy: 1e-6)
                }
            }
        }
    }
}
