import Networks
import TensorCore
import TestSupport
import XCTest

/// The module forward (ResnetEncoder / DepthDecoder in eval mode, the ops training uses) against
/// ../shared/reference/torch/forward: one 640x192 forward, shared by the tests of this file.
final class ForwardParityTests: XCTestCase {
    struct Run {
        let features: [Tensor]
        let outputs: DepthOutputs
    }

    /// Built by the first test that asks; a missing input skips every test that asks.
    static let shared = SharedFixture<Run> {
        let input = try forwardFixture("input_640x192")
        let encoder = FormulaNetworks.encoder()
        let decoder = FormulaNetworks.depthDecoder()
        let features = encoder(input)
        return Run(features: features, outputs: decoder(features))
    }

    func run() throws -> Run { try Self.shared.value() }

    func testEncoderFeatures() throws {
        let features = try run().features
        XCTAssertEqual(features.count, 5)
        for (level, feature) in features.enumerated() {
            // README: features rel-to-max 1e-4 (f32-vs-f64 floor 8e-7).
            assertRelativeToMax(feature, try forwardFixture("encoder_feature_\(level)"), 1e-4, "encoder feature \(level)")
        }
    }

    func testDisparities() throws {
        let outputs = try run().outputs
        XCTAssertEqual(outputs.scales, [0, 1, 2, 3])
        for scale in 0...3 {
            // README: disparities max abs 1e-5 (floor 5.1e-7).
            assertMaxAbsolute(outputs.disparity(scale: scale), try forwardFixture("disp_scale\(scale)"), 1e-5, "disp scale \(scale)")
        }
    }

    func testDisparityAtSourceSize() throws {
        let disp = try run().outputs.disparity(scale: 0)
        let resized = resizeBilinear(disp, height: 235, width: 638)
        assertMaxAbsolute(resized, try forwardFixture("disp_source_size"), 1e-5, "disp_source_size")
    }
}
