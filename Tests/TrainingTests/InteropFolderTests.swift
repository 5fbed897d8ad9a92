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
        let models = MonodepthModels(configuration: ModelSetConfiguration(pose: .separatePairs), initialisation: .placeholder)
        for (name, module) in models.named { FormulaWeights.fill(module, salt: name == .poseEncoder ? "md2-pose" : "md2-parity") }
        let named = models.named.flatMap { model in model.module.namedParameters().map { (model.name.rawValue + ":" + $0.key, $0.parameter) } }
        let adam = Adam(parameters: named.map(\.1), learningRate: 1e-4, rule: .torch041)
        for _ in 0..<2 {
            for (index, (key, parameter)) in named.enumerated() where !key.contains(".fc.") {
                parameter.grad = Tensor(shape: parameter.value.shape,
                                        scalars: FormulaWeights.values(key: "grad:\(index)", shape: parameter.value.shape, salt: "md2-adam"))
            }
            adam.step()
        }
        let state = TrainerState(epoch: 0, globalStep: 2, seed: 7)
        let url = RunFolder(URL(fileURLWithPath: out)).weights(epoch: 0)
        try WeightsFolder.write(models, metadata: EncoderMetadata(height: 192, width: 640, useStereo: false), optimizer: adam,
                                extraFiles: [.init(name: TrainerState.fileName, contents: try state.encoded())], to: url)
        print("wrote", url.path, "with", named.count, "parameters")
    }
}
