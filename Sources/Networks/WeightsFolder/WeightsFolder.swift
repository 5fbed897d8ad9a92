import ArrayIO
import Foundation
import Options
import TensorCore

extension ModelName {
    /// `encoder.pth`, `depth.pth`, `pose_encoder.pth`, `pose.pth`, `predictive_mask.pth`.
    public var fileName: String { rawValue + ".pth" }
}

/// A Monodepth2 weights folder (`models/<name>/`, `log_dir/model_name/models/weights_N/`): one
/// `.pth` state dict per network of the model set, named after it (`ModelName.fileName`), the
/// encoder's training size in `encoder.pth`, and `adam.pth` for the optimizer. The one reader and
/// writer of such folders: strict loads for inference and resume (here), the trainer's tolerant
/// `load_model` (`loadModel`), and atomic writes (`write`).
///
/// ```swift
/// let models = MonodepthModels(configuration: .depth(), initialisation: .placeholder)
/// let folder = WeightsFolder(URL(fileURLWithPath: "models/mono_640x192"))
/// let metadata = try folder.load(into: models)      // strict; encoder.pth's height/width/use_stereo
/// ```
public struct WeightsFolder: Sendable {
    /// The optimizer's file, `adam.pth`.
    public static let optimizerFileName = "adam.pth"

    public let url: URL

    public init(_ url: URL) { self.url = url }

    /// The path of `name`'s file in this folder.
    public func fileURL(_ name: ModelName) -> URL { url.appendingPathComponent(name.fileName) }

    /// Whether `name`'s file exists in this folder.
    public func contains(_ name: ModelName) -> Bool { FileManager.default.fileExists(atPath: fileURL(name).path) }

    /// Reads `name`'s state dict (a missing file names the folder layout in its hint).
    public func read(_ name: ModelName) throws(CheckpointError) -> StateDict {
        try CheckpointFile.read(fileURL(name), hint: "A Monodepth2 weights folder holds "
            + "encoder.pth and depth.pth (and pose_encoder.pth, pose.pth for pose); put \(name.fileName) into \(url.path)/")
    }

    /// Loads `name`'s file into `module` by key (see `Module.load(_:file:mode:metadataKeys:)`);
    /// for the encoder the metadata entries are accepted and returned.
    @discardableResult
    public func load(_ module: any Module, as name: ModelName,
                     mode: CheckpointLoadMode = .strict) throws(CheckpointError) -> (report: CheckpointLoadReport, metadata: EncoderMetadata?) {
        let stateDict = try read(name)
        let path = fileURL(name).path
        let isEncoder = name == .encoder
        let metadata = isEncoder ? try EncoderMetadata(stateDict, file: path) : nil
        let report = try module.load(stateDict, file: path, mode: mode, metadataKeys: isEncoder ? EncoderMetadata.keys : [])
        return (report, metadata)
    }

    /// Loads the networks `networks` (default: every network of the set) strictly, in the set's
    /// order, and `optimizer` from `adam.pth` when given. Returns `encoder.pth`'s metadata (nil when
    /// the encoder was not loaded or its file has none).
    @discardableResult
    public func load(into models: MonodepthModels, networks: [ModelName]? = nil,
                     optimizer: Adam? = nil) throws(CheckpointError) -> EncoderMetadata? {
        var metadata: EncoderMetadata?
        for (name, module) in models.named where networks?.contains(name) ?? true {
            let loaded = try load(module, as: name)
            if name == .encoder { metadata = loaded.metadata }
        }
        if let optimizer { try loadOptimizer(optimizer) }
        return metadata
    }
}
