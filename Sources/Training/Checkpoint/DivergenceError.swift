import Foundation

/// The divergence guard's stop: a non-finite loss ends the run, naming where it happened and the
/// last weights folder that was written before it (nothing non-finite is ever saved).
public struct DivergenceError: Error, CustomStringConvertible, Equatable, Sendable {
    /// 0-based epoch and global step of the bad batch.
    public var epoch: Int
    public var step: Int
    public var loss: Float
    /// The newest `weights_N` written by this run (or the folder it resumed from), nil if none.
    public var lastGoodFolder: String?

    public init(epoch: Int, step: Int, loss: Float, lastGoodFolder: String?) {
        self.epoch = epoch
        self.step = step
        self.loss = loss
        self.lastGoodFolder = lastGoodFolder
    }

    public var description: String {
        let value = loss.isNaN ? "nan" : (loss > 0 ? "inf" : "-inf")
        let head = "training diverged: the loss is \(value) at epoch \(epoch), step \(step); stopped"
        guard let lastGoodFolder else { return head + " (no weights were saved before it)" }
        return head + ". Last good weights: \(lastGoodFolder) (continue with --resume \(lastGoodFolder))"
    }
}
