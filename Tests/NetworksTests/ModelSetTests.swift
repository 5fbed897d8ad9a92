import Options
import TensorCore
import TestSupport
import XCTest
@testable import Networks

/// The model set: which networks each configuration builds (trainer.py `__init__`), in which
/// order, and how they are initialised.
final class ModelSetTests: XCTestCase {
    private func configuration(_ arguments: [String]) throws -> ModelSetConfiguration {
        ModelSetConfiguration(options: try MonodepthOptions.parse(arguments, program: "t"))
    }

    func testNetworksOfEachConfiguration() throws {
        XCTAssertEqual(try configuration([]).names, [.encoder, .depth, .poseEncoder, .pose])
        XCTAssertEqual(try configuration(["--pose_model_type", "posecnn", "--predictive_mask"]).names,
                       [.encoder, .depth, .pose, .predictiveMask])
        XCTAssertEqual(try configuration(["--use_stereo", "--frame_ids", "0"]).names, [.encoder, .depth])
        XCTAssertEqual(try configuration(["--pose_model_type", "shared", "--pose_model_input", "all"]).pose,
                       PoseNetworkConfiguration(type: .shared, inputFrames: 3))
        XCTAssertEqual(try configuration(["--use_stereo", "--predictive_mask"]).predictiveMaskChannels, 3)
        XCTAssertEqual(ModelSetConfiguration.depth().names, [.encoder, .depth])
    }

    func testModelsToLoadMustBeBuilt() throws {
        let posecnn = try configuration(["--pose_model_type", "posecnn"])
        XCTAssertThrowsError(try posecnn.requireNetworks([.encoder, .depth, .poseEncoder, .pose])) { error in
            XCTAssertEqual(error as? OptionsError, .modelNotBuilt(.poseEncoder, built: [.encoder, .depth, .pose]))
            XCTAssertEqual("\(error)", "argument --models_to_load: 'pose_encoder' is not a network of this "
                           + "configuration (it builds 'encoder', 'depth', 'pose')")
        }
        XCTAssertNoThrow(try configuration(["--predictive_mask", "--disable_automasking"]).requireNetworks([.encoder, .predictiveMask]))
    }

    /// Each network of a set is built as it would be alone, and scratch weights are drawn in the
    /// trainer's order from one generator: the same seed gives the same set.
    func testBuiltNetworksAndInitialisation() throws {
        let c = try configuration(["--pose_model_type", "separate_resnet", "--pose_model_input", "all", "--predictive_mask",
                                   "--disable_automasking", "--use_stereo", "--scales", "0", "2"])
        let models = MonodepthModels(configuration: c, initialisation: .scratch(generatorSeed: 9))
        XCTAssertEqual(models.named.map(\.name), [.encoder, .depth, .poseEncoder, .pose, .predictiveMask])
        XCTAssertEqual(models.poseEncoder?.inputImages, 3)
        XCTAssertEqual(models.depth.scales, [0, 2])
        XCTAssertEqual(models.predictiveMask?.outputChannels, 3)
        guard case .decoder(let pose)? = models.pose else { return XCTFail("separate_resnet has a pose decoder") }
        XCTAssertEqual([pose.inputFeatures, pose.frames], [1, 2])

        let other = MonodepthModels(configuration: c, initialisation: .scratch(generatorSeed: 10))
        let last = { (m: MonodepthModels) in m.parameters.last?.value.scalars() ?? [] }
        XCTAssertNotEqual(last(models), last(other), "the last network's draws depend on the seed")
        let placeholder = MonodepthModels(configuration: .depth(), initialisation: .placeholder)
        XCTAssertTrue(placeholder.encoder.resnet.conv1.weight.value.scalars().allSatisfy { $0 == 0 })
        // One generator in construction order: the depth decoder's draws follow the encoder's.
        var generator = RandomGenerator(seed: 9)
        let encoder = ResnetEncoder(depth: .resnet18, generator: &generator)
        let depth = DepthDecoder(encoderChannels: encoder.featureChannels, scales: [0, 2], generator: &generator)
        XCTAssertTrue(models.depth.parameters().map { $0.value.scalars() } == depth.parameters().map { $0.value.scalars() })
    }
}
