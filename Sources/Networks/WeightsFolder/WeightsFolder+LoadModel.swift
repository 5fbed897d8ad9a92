import Foundation
import Options
import TensorCore

extension WeightsFolder {
    /// What `loadModel` did not use or did not find, per network.
    public struct LoadModelReport: Sendable {
        /// The folder as given, `~` expanded.
        public var path: String
        public var networks: [(name: ModelName, report: CheckpointLoadReport)]
        /// Whether `adam.pth` was present and loaded.
        public var loadedOptimizer: Bool
    }

    /// trainer.py `load_model`: `--models_to_load` (`names`) from the folder at `path` (`~`
    /// expanded), each network keeping only the keys it has (file keys it lacks are skipped, keys
    /// the file lacks keep their values; both are reported), then `adam.pth` when present (its
    /// stored learning rate is overwritten by the trainer's per-epoch schedule). The original's
    /// lines, and one per network with skipped or missing keys, go to `say`.
    @discardableResult
    public static func loadModel(from path: String, names: [ModelName], into models: MonodepthModels,
                                 optimizer: Adam, say: (String) -> Void) throws -> LoadModelReport {
        try loadModel(from: path, names: names, into: models.named, optimizer: optimizer, say: say)
    }

    /// `loadModel` into any named networks (`networks`: the set's names and modules, in order).
    @discardableResult
    public static func loadModel(from path: String, names: [ModelName], into networks: [(name: ModelName, module: any Module)],
                                 optimizer: Adam, say: (String) -> Void) throws -> LoadModelReport {
        let expanded = NSString(string: path).expandingTildeInPath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: expanded, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CheckpointError.missingFile(file: expanded, hint: "--load_weights_folder must be a folder of .pth files (Cannot find folder \(expanded))")
        }
        if let missing = names.first(where: { name in !networks.contains { $0.name == name } }) {
            throw OptionsError.modelNotBuilt(missing, built: networks.map(\.name))
        }
        let folder = WeightsFolder(URL(fileURLWithPath: expanded))
        say("loading model from folder \(expanded)")
        var reports: [(name: ModelName, report: CheckpointLoadReport)] = []
        for name in names {
            guard let module = networks.first(where: { $0.name == name })?.module else { continue }  // checked above
            say("Loading \(name.rawValue) weights...")
            let report = try folder.load(module, as: name, mode: .tolerant).report
            if !report.skippedKeys.isEmpty {
                say("  skipped \(report.skippedKeys.count) entries the network does not have: " + summary(report.skippedKeys))
            }
            if !report.missingKeys.isEmpty {
                say("  \(report.missingKeys.count) entries of the network are not in the file and keep their values: "
                    + summary(report.missingKeys))
            }
            reports.append((name, report))
        }
        guard FileManager.default.fileExists(atPath: folder.url.appendingPathComponent(optimizerFileName).path) else {
            say("Cannot find Adam weights so Adam is randomly initialized")
            return LoadModelReport(path: expanded, networks: reports, loadedOptimizer: false)
        }
        say("Loading Adam weights")
        try folder.loadOptimizer(optimizer)
        return LoadModelReport(path: expanded, networks: reports, loadedOptimizer: true)
    }

    private static func summary(_ keys: [String]) -> String {
        keys.prefix(5).joined(separator: ", ") + (keys.count > 5 ? ", …" : "")
    }
}
