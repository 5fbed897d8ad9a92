import Foundation
import Networks
import TensorCore

/// `--load_weights_folder` with `--models_to_load`: the original's `load_model` (MONODEPTH2.md §4.7).
/// Each named network loads `{name}.pth` keeping only the keys it has (encoder.pth's
/// `height`/`width`/`use_stereo` and anything else extra are skipped; keys the file lacks keep
/// their initial values); both are reported. Then `adam.pth` when present. The learning rate
/// stored in it is overwritten by the trainer's per-epoch 0.4.1 schedule.
public enum LoadWeightsFolder {
    /// What was skipped per network.
    public struct Report: Sendable {
        public var models: [(name: String, report: CheckpointLoadReport)]
        public var loadedOptimizer: Bool
    }

    /// Loads into `models` (the trainer's named networks) and `optimizer`, printing the
    /// original's lines (plus one line per network that had keys skipped or missing) through `print`.
    @discardableResult
    public static func load(_ path: String, modelsToLoad: [String], models: [(name: String, module: any Module)],
                            optimizer: Adam, print: (String) -> Void) throws(TrainingCheckpointError) -> Report {
        let expanded = NSString(string: path).expandingTildeInPath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: expanded, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .loadFolderNotFound(path: expanded)
        }
        let folder = URL(fileURLWithPath: expanded)
        print("loading model from folder \(expanded)")
        var reports: [(name: String, report: CheckpointLoadReport)] = []
        for name in modelsToLoad {
            guard let module = models.first(where: { $0.name == name })?.module else {
                throw .unknownModel(name: name, available: models.map(\.name))
            }
            print("Loading \(name) weights...")
            let report: CheckpointLoadReport
            do {
                report = try module.load(contentsOf: folder.appendingPathComponent(name + ".pth"), mode: .tolerant,
                                         metadataKeys: name == ModelFile.encoder.rawValue ? EncoderMetadata.keys : [])
            } catch {
                throw .checkpoint(error)
            }
            if !report.skippedKeys.isEmpty || !report.missingKeys.isEmpty {
                print("  \(name).pth: skipped \(report.skippedKeys.count) key(s) the network lacks"
                    + Self.sample(report.skippedKeys) + "; \(report.missingKeys.count) network key(s) not in the file"
                    + Self.sample(report.missingKeys))
            }
            reports.append((name, report))
        }
        let adam = folder.appendingPathComponent("adam.pth")
        guard FileManager.default.fileExists(atPath: adam.path) else {
            print("Cannot find Adam weights so Adam is randomly initialized")
            return Report(models: reports, loadedOptimizer: false)
        }
        print("Loading Adam weights")
        do { try ModelFolder(folder).loadOptimizer(optimizer) } catch { throw .checkpoint(error) }
        return Report(models: reports, loadedOptimizer: true)
    }

    private static func sample(_ keys: [String]) -> String {
        guard !keys.isEmpty else { return "" }
        let shown = keys.prefix(3).joined(separator: ", ")
        return " (" + shown + (keys.count > 3 ? ", …" : "") + ")"
    }
}
