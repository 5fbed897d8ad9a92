import Foundation
import Options
import TensorCore
import TestSupport
@testable import Networks
@testable import Training

/// Tiny networks named as the trainer names them, a stepped Adam and a state with every field
/// set, written as a weights folder the way the trainer writes one.
struct CheckpointTestSnapshot {
    var networks: [(name: ModelName, module: any Module)]
    var optimizer: Adam
    var state: TrainerState

    init(salt: String = "a") {
        networks = [(.encoder, TinyCheckpointNet(salt: salt + "e")), (.depth, TinyCheckpointNet(salt: salt + "d"))]
        optimizer = steppedAdam(networks.flatMap { $0.module.parameters() }, salt: salt)
        state = TrainerState(epoch: 3, globalStep: 1234, seed: UInt64.max - 5,
                             randomStates: ["shuffle": [1, 0xDEAD_BEEF_0123_4567, .max], "noise": []],
                             bestValidationLoss: 0.123_456_789_012_345_67, bestEpoch: 2)
    }

    /// Writes the folder `url` with `trainer_state.json` (as `MonodepthTrainerEngine.saveWeights`).
    @discardableResult
    func write(to url: URL) throws -> URL {
        try WeightsFolder.writeNetworks(networks, metadata: EncoderMetadata(height: 64, width: 96, useStereo: true),
                                        optimizer: optimizer,
                                        extraFiles: [.init(name: TrainerState.fileName, contents: try state.encoded())], to: url)
        return url
    }
}
