import Foundation
import Networks
import ParityWeights
import TensorCore
@testable import Training

/// A conv + BN pair: parameters, float buffers and an int64 counter, like the real networks.
final class CheckpointTestNet: Module {
    let conv: Conv2d
    let bn = BatchNorm2d(4)
    init(salt: String) {
        conv = Conv2d(weight: FormulaWeights.tensor(key: "w", shape: [4, 3, 3, 3], salt: salt),
                      bias: FormulaWeights.tensor(key: "b.bias", shape: [4], salt: salt), padding: 1)
        FormulaWeights.fill(bn, salt: salt)
    }
    var entries: [ModuleEntry] { [.child("conv", conv), .child("bn", bn)] }
}

/// Tiny networks named as the trainer names them, an Adam with state for all but the last
/// parameter (like the unused fc), and a state with every field set.
func checkpointTestSnapshot(salt: String = "a") -> TrainingSnapshot {
    let models: [(name: String, module: any Module)] = [("encoder", CheckpointTestNet(salt: salt + "e")), ("depth", CheckpointTestNet(salt: salt + "d"))]
    let parameters = models.flatMap { $0.module.parameters() }
    let adam = Adam(parameters: parameters, learningRate: 1e-4, rule: .torch041)
    for _ in 0..<2 {
        for (index, p) in parameters.enumerated().dropLast() {
            p.grad = FormulaWeights.tensor(key: "g\(index)", shape: p.value.shape, salt: salt)
        }
        adam.step()
    }
    let state = TrainerState(epoch: 3, globalStep: 1234, seed: UInt64.max - 5,
                             randomStates: ["shuffle": [1, 0xDEAD_BEEF_0123_4567, .max], "noise": []],
                             bestValidationLoss: 0.123_456_789_012_345_67, bestEpoch: 2)
    return TrainingSnapshot(models: models, encoderMetadata: EncoderMetadata(height: 64, width: 96, useStereo: true),
                            optimizer: adam, state: state)
}

