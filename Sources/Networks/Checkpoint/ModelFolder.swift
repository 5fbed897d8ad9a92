import ArrayIO
import Foundation
import TensorCore

/// The per-network files of a Monodepth2 weights folder (`models/<name>/`, `weights_N/`).
public enum ModelFile: String, CaseIterable, Sendable {
    case encoder, depth
    case poseEncoder = "pose_encoder"
    case pose

    /// `encoder.pth`, `depth.pth`, `pose_encoder.pth`, `pose.pth`.
    public var fileName: String { rawValue + ".pth" }
}

/// The extra entries `Trainer.save_model` appends to `encoder.pth`: the training input size and
/// whether stereo pairs were used.
public struct EncoderMetadata: Equatable, Sendable {
    public var height: Int
    public var width: Int
    public var useStereo: Bool

    public init(height: Int, width: Int, useStereo: Bool) {
        self.height = height
        self.width = width
        self.useStereo = useStereo
    }

    /// The keys of the entries.
    public static let keys: Set<String> = ["height", "width", "use_stereo"]

    /// The entries in the order the trainer writes them.
    public var extras: [(key: String, value: CheckpointValue)] {
        [("height", .int(height)), ("width", .int(width)), ("use_stereo", .bool(useStereo))]
    }

    /// The metadata of a read `encoder.pth`: nil when it has none of the three entries; an error
    /// when only some are present or one has the wrong kind or an absurd value.
    public init?(_ stateDict: StateDict, file: String) throws(CheckpointError) {
        let present = EncoderMetadata.keys.filter { stateDict.extra($0) != nil }
        if present.isEmpty { return nil }
        func size(_ key: String) throws(CheckpointError) -> Int {
            guard let value = stateDict.extra(key) else { throw .badMetadata(file: file, key: key, problem: "missing (height and width go together)") }
            guard let number = value.intValue else { throw .badMetadata(file: file, key: key, problem: "not an integer (\(value))") }
            guard number > 0, number <= 1 << 16 else { throw .badMetadata(file: file, key: key, problem: "absurd size \(number)") }
            return number
        }
        height = try size("height")
        width = try size("width")
        switch stateDict.extra("use_stereo") {
        case nil: useStereo = false
        case .some(.bool(let flag)): useStereo = flag
        case .some(.int(let flag)) where flag == 0 || flag == 1: useStereo = flag == 1
        case .some(let other): throw .badMetadata(file: file, key: "use_stereo", problem: "not a bool (\(other))")
        }
    }
}

/// A Monodepth2 weights folder: one `.pth` per network (see `ModelFile`), loaded by key.
///
/// ```swift
/// let folder = ModelFolder(URL(fileURLWithPath: "models/mono_640x192"))
/// var rng = RandomGenerator(seed: 0)
/// let encoder = ResnetEncoder(depth: .resnet18, generator: &rng)
/// let decoder = DepthDecoder(encoderChannels: encoder.featureChannels, generator: &rng)
/// let metadata = try folder.loadEncoder(encoder)      // strict; height/width/use_stereo kept
/// try folder.load(decoder, as: .depth)
/// ```
public struct ModelFolder: Sendable {
    public let url: URL

    public init(_ url: URL) { self.url = url }

    /// The path of `file` in this folder.
    public func fileURL(_ file: ModelFile) -> URL { url.appendingPathComponent(file.fileName) }

    /// Whether `file` exists in this folder.
    public func contains(_ file: ModelFile) -> Bool { FileManager.default.fileExists(atPath: fileURL(file).path) }

    /// Reads `file` (a missing file names the folder layout in its hint).
    public func read(_ file: ModelFile) throws(CheckpointError) -> StateDict {
        try CheckpointFile.read(fileURL(file), hint: "A Monodepth2 weights folder holds "
            + "encoder.pth and depth.pth (and pose_encoder.pth, pose.pth for pose); put \(file.fileName) into \(url.path)/")
    }

    /// Loads `file` into `module` by key (see `Module.load(_:file:mode:metadataKeys:)`); for
    /// `.encoder` the metadata entries are accepted and returned.
    @discardableResult
    public func load(_ module: any Module, as file: ModelFile,
                     mode: CheckpointLoadMode = .strict) throws(CheckpointError) -> (report: CheckpointLoadReport, metadata: EncoderMetadata?) {
        let stateDict = try read(file)
        let path = fileURL(file).path
        let metadataKeys = file == .encoder ? EncoderMetadata.keys : []
        let metadata = file == .encoder ? try EncoderMetadata(stateDict, file: path) : nil
        let report = try module.load(stateDict, file: path, mode: mode, metadataKeys: metadataKeys)
        return (report, metadata)
    }

    /// Loads `encoder.pth` into `encoder` and returns its metadata (nil when the file has none).
    @discardableResult
    public func loadEncoder(_ encoder: ResnetEncoder, mode: CheckpointLoadMode = .strict) throws(CheckpointError) -> EncoderMetadata? {
        try load(encoder, as: .encoder, mode: mode).metadata
    }

    /// Writes `module`'s state dict as `file` (zip format, atomic), creating the folder if needed;
    /// `metadata` is appended to `encoder.pth` as the trainer does.
    public func save(_ module: any Module, as file: ModelFile, metadata: EncoderMetadata? = nil) throws(CheckpointError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw .writeFailed(ArrayIOError(file: url.path, "cannot create folder (\(error.localizedDescription))"))
        }
        let extras = file == .encoder ? metadata?.extras ?? [] : []
        try CheckpointFile.write(module.checkpointStateDict(extras: extras), to: fileURL(file))
    }
}

extension ResNetDepth {
    /// The ResNet variant whose `encoder.*` keys these are (by block type and block counts), or nil.
    public static func inferred(fromKeys keys: [String]) -> ResNetDepth? {
        let set = Set(keys)
        let bottleneck = set.contains("encoder.layer1.0.conv3.weight")
        var counts: [Int] = []
        for stage in 1...4 {
            var n = 0
            while set.contains("encoder.layer\(stage).\(n).conv1.weight") { n += 1 }
            counts.append(n)
        }
        return ResNetDepth.allCases.first { $0.usesBottleneck == bottleneck && $0.blockCounts == counts }
    }
}
