import Foundation

/// Resolves `--resume DIR`: a weights folder (`…/models/weights_N` or `weights_best`), or a run's
/// log folder (`log_dir/model_name`) or its `models` folder, which mean the latest complete
/// `weights_N` (the highest N holding `trainer_state.json`; hidden `.partial` folders of a killed
/// save never count).
public enum ResumeLocation {
    /// The weights folder to resume from and its state. `~` is expanded.
    public static func resolve(_ path: String) throws(TrainingCheckpointError) -> (folder: URL, state: TrainerState) {
        let expanded = NSString(string: path).expandingTildeInPath
        let url = URL(fileURLWithPath: expanded)
        guard isDirectory(url) else { throw .resumeNotFound(path: expanded) }
        if FileManager.default.fileExists(atPath: url.appendingPathComponent(TrainerState.fileName).path) {
            return (url, try TrainerState.read(from: url))
        }
        for candidate in [url.appendingPathComponent("models"), url] {
            if let latest = latestEpochFolder(in: candidate) {
                return (latest, try TrainerState.read(from: latest))
            }
        }
        // A weights folder of the original trainer (model files, no state) gets the specific message.
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("encoder.pth").path) {
            throw .notResumable(folder: expanded)
        }
        throw .noWeightsToResume(path: expanded)
    }

    /// The complete `weights_N` folder with the highest N in `modelsDirectory`, or nil.
    public static func latestEpochFolder(in modelsDirectory: URL) -> URL? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: modelsDirectory.path) else { return nil }
        var best: (epoch: Int, url: URL)?
        for name in names where name.hasPrefix("weights_") {
            let number = name.dropFirst("weights_".count)
            // Canonical decimal only (weights_7, not weights_07 or weights_best).
            guard let epoch = Int(number), epoch >= 0, String(epoch) == number else { continue }
            if let current = best, epoch <= current.epoch { continue }
            let folder = modelsDirectory.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(TrainerState.fileName).path) else { continue }
            best = (epoch, folder)
        }
        return best?.url
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &flag) && flag.boolValue
    }
}
