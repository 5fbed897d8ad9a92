import Foundation

/// A run's folder, `log_dir/model_name`: `opt.json`, the TensorBoard runs, and under `models/` the
/// weights folders the trainer writes, `weights_N` after epoch N (as the original's `save_model`)
/// and `weights_best` when the full validation pass improves.
public struct RunFolder: Sendable, Equatable {
    /// `log_dir/model_name`.
    public let url: URL

    public init(_ url: URL) { self.url = url }

    /// `log_dir/model_name/models`.
    public var modelsDirectory: URL { url.appendingPathComponent("models") }

    /// `models/weights_N`.
    public func weights(epoch: Int) -> URL { modelsDirectory.appendingPathComponent("weights_\(epoch)") }

    /// `models/weights_best`.
    public var bestWeights: URL { modelsDirectory.appendingPathComponent("weights_best") }
}
