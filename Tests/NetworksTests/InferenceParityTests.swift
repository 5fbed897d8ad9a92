import Networks
import ParityWeights
import TensorCore
import TestSupport
import XCTest

/// The fused inference path (`DepthInference`: BatchNorm folded, activations fused, no tape) against
/// ../shared/reference/torch/forward, and against the module forward on small inputs.
final class InferenceParityTests: XCTestCase {
    /// Built by the first test that asks; a missing input skips every test that asks.
    static let shared = SharedFixture<(features: [Tensor], outputs: DepthOutputs)> {
        let input = try forwardFixture("input_640x192")
        let predictor = DepthInference(encoder: FormulaNetworks.encoder(), decoder: FormulaNetworks.depthDecoder())
        let features = predictor.encoder(input)
        return (features, predictor.decoder(features))
    }

    func testEncoderFeatures() throws {
        for (level, feature) in try Self.shared.value().features.enumerated() {
            assertRelativeToMax(feature, try forwardFixture("encoder_feature_\(level)"), 1e-4, "fused encoder feature \(level)")
        }
    }

    func testDisparities() throws {
        let outputs = try Self.shared.value().outputs
        for scale in 0...3 {
            assertMaxAbsolute(outputs.disparity(scale: scale), try forwardFixture("disp_scale\(scale)"), 1e-5,
                              "fused disp scale \(scale)")
        }
        let resized = resizeBilinear(outputs.disparity(scale: 0), height: 235, width: 638)
        assertMaxAbsolute(resized, try forwardFixture("disp_source_size"), 1e-5, "fused disp_source_size")
    }

    /// Batch 2, 64x96, ResNet-50 and ResNet-18, scales in a different order, no skips: the fused path
    /// equals the module forward.
    func testMatchesModuleForwardOnSmallInputs() {
        var rng = RandomGenerator(seed: 11)
        let image = Tensor.uniform([2, 3, 64, 96], generator: &rng)
        for depth in [ResNetDepth.resnet18, .resnet50] {
            let encoder = FormulaNetworks.encoder(depth)
            let features = encoder(image)
            let fusedEncoder = EncoderInference(encoder)
            for (level, feature) in fusedEncoder(image).enumerated() {
                assertRelativeToMax(feature, features[level], 1e-5, "ResNet-\(depth.rawValue) feature \(level)")
            }
            for (scales, skips) in [([0, 1, 2, 3], true), ([2, 0], false)] {
                let decoder = DepthDecoder(encoderChannels: encoder.featureChannels, scales: scales, outputChannels: 2,
                                           usesSkips: skips)
                FormulaWeights.fill(decoder)
                let expected = decoder(features)
                let actual = DepthInference(encoder: encoder, decoder: decoder)(image)
                XCTAssertEqual(actual.scales, scales)
                for s in scales {
                    assertMaxAbsolute(actual.disparity(scale: s), expected.disparity(scale: s), 1e-5,
                                      "ResNet-\(depth.rawValue) scales \(scales) skips \(skips): disp \(s)")
                }
            }
        }
    }
}
