import Foundation

/// opt.json as trainer.py's `save_opts` writes it: `json.dump(opt.__dict__.copy(), f, indent=2)` of the
/// options after the trainer's changes ("s" appended to frame_ids under --use_stereo, "~" expanded in
/// load_weights_folder). It holds exactly the original's 44 keys in options.py order; our extensions
/// (`--seed`, `--resume`, `--disable_best_model`) are not in it (the trainer keeps them in its state
/// file), so the file reads the same in the original's tools.
public enum OptJSON {
    /// The JSON object: the 44 keys in options.py order.
    public static func object(for options: MonodepthOptions) -> PythonJSON {
        .object(OptionTable.original.compactMap { entry in
            entry.jsonValue(of: options).map { (key: entry.name, value: $0) }
        })
    }

    /// The file's text, byte for byte what Python writes (no trailing newline).
    public static func text(for options: MonodepthOptions) -> String {
        object(for: options).dumps(indent: 2)
    }

    /// `log_dir/model_name/models/opt.json` (creating `models/`), written atomically: a temporary file
    /// in the same folder, then a rename. Returns the file's URL.
    @discardableResult
    public static func write(_ options: MonodepthOptions) throws(OptJSONError) -> URL {
        let models = URL(fileURLWithPath: DefaultPaths.expandingUser(options.logDir))
            .appendingPathComponent(options.modelName).appendingPathComponent("models")
        let file = models.appendingPathComponent("opt.json")
        try write(options, to: file)
        return file
    }

    /// Writes opt.json for `options` at `file` atomically (creating the folder).
    public static func write(_ options: MonodepthOptions, to file: URL) throws(OptJSONError) {
        let folder = file.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(file.lastPathComponent).\(getpid()).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(text(for: options).utf8).write(to: temporary)
            if rename(temporary.path, file.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw OptJSONError(path: file.path, reason: reason)
            }
        } catch let error as OptJSONError {
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw OptJSONError(path: file.path, reason: error.localizedDescription)
        }
    }
}

/// opt.json could not be written; names the file and the reason.
public struct OptJSONError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "cannot write \(path): \(reason)" }
}
