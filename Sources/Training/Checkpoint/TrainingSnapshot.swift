import Networks
import TensorCore

/// Everything a weights folder records: the networks in the trainer's order (`encoder`, `depth`,
/// then `pose_encoder`, `pose` or `pose` alone, then `predictive_mask`, each saved as
/// `{name}.pth`), the encoder's `height`/`width`/`use_stereo`, the optimizer (`adam.pth`) and the
/// trainer's position (`trainer_state.json`).
public struct TrainingSnapshot {
    public var models: [(name: String, module: any Module)]
    public var encoderMetadata: EncoderMetadata
    public var optimizer: Adam
    public var state: TrainerState

    public init(models: [(name: String, module: any Module)], encoderMetadata: EncoderMetadata,
                optimizer: Adam, state: TrainerState) {
        self.models = models
        self.encoderMetadata = encoderMetadata
        self.optimizer = optimizer
        self.state = state
    }
}
