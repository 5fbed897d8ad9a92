import Foundation
import Networks
import ParityWeights
import TensorCore
import XCTest
@testable import Training

/// Opt-in: `MD2_INTEROP_OUT=DIR swift test --filter InteropFolderTests` writes DIR/models/weights_0
/// for Tests/Fixtures/training/check_interop.py, which loads it into the original networks
/// (strict) and torch's Adam. The networks are the trainer's separate_resnet set (ResNet-18
/// encoder, depth decoder, 2-image pose encoder, pose decoder) with formula weights, after two
/// Adam (0.4.1 rule, lr 1e-4) steps on formula gradients; `encoder.fc.*` and `pose_encoder.fc.*`
/// get no gradient (unused, as in the original), so Adam holds no state for them.
final class InteropFolderTests: XCTestCase {
    func testWriteFolderForTheOriginalNetworks() throws {
        guard let out = ProcessInfo.processInfo.environment["MD2_INTEROP_OUT"], !out.isEmpty else {
            throw XCTSkip("set MD2_INTEROP_OUT to write the interop weights folder")
        }
        let encoder = ResnetEncoder(depth: .resnet18)
        let depth = DepthDecoder(encoderChannels: encoder.featureChannels)
        let poseEncoder = ResnetEncoder(depth: .resnet18, inputImages: 2)
        let pose = PoseDecoder(encoderChannels: poseEncoder.featureChannels, inputFeatures: 1, frames: 2)
        FormulaWeights.fill(encoder, salt: "md2-parity")
        FormulaWeights.fill(depth, salt: "md2-parity")
        FormulaWeights.fill(poseEncoder, salt: "md2-pose")
        FormulaWeights.fill(pose, salt: "md2-parity")
        let models: [(name: String, module: any Module)] = [
            ("encoder", encoder), ("depth", depth), ("pose_encoder", poseEncoder), ("pose", pose),
        ]
        let named = models.flatMap { model in model.module.namedParameters().map { (model.name + ":" + $0.key, $0.parameter) } }
        let adam = Adam(parameters: named.map(\.1), learningRate: 1e-4, rule: .torch041)
        for _ in 0..<2 {
            for (index, (key, parameter)) in named.enumerated() where !key.contains(".fc.") {
                parameter.grad = Tensor(shape: parameter.value.shape,
                                        scalars: FormulaWeights.values(key: "grad:\(index)", shape: parameter.value.shape, salt: "md2-adam"))
            }
            adam.step()
        }
        let state = TrainerState(epoch: 0, globalStep: 2, seed: 7)
        let snapshot = TrainingSnapshot(models: models, encoderMetadata: EncoderMetadata(height: 192, width: 640, useStereo: false),
                                        optimizer: adam, state: state)
        let folders = WeightsFolders(logPath: URL(fileURLWithPath: out))
        let url = try folders.save(snapshot, as: .epoch(0))
        print("wrote", url.path, "with", named.count, "parameters")
    }
}
