import ArrayIO
import Foundation
import Networks
import TensorCore

extension WeightsFolders {
    /// Loads a weights folder written by `save` back into the trainer's networks and optimizer
    /// (strictly: a resumed run has the same networks) and returns its `trainer_state.json`.
    /// `encoder.pth`'s `height`/`width`/`use_stereo` entries are accepted and ignored.
    public static func restore(models: [(name: String, module: any Module)], optimizer: Adam,
                               from folder: URL) throws(TrainingCheckpointError) -> TrainerState {
        let state = try TrainerState.read(from: folder)
        for (name, module) in models {
            let metadataKeys = name == ModelFile.encoder.rawValue ? EncoderMetadata.keys : []
            do {
                try module.load(contentsOf: folder.appendingPathComponent(name + ".pth"), mode: .strict, metadataKeys: metadataKeys)
            } catch {
                throw .checkpoint(error)
            }
        }
        do { try ModelFolder(folder).loadOptimizer(optimizer) } catch { throw .checkpoint(error) }
        return state
    }
}
