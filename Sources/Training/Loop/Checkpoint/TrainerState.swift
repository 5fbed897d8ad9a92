import Foundation

/// `trainer_state.json` in each weights folder: where the run stood when the folder was written,
/// so `--resume` continues exactly (trainer.py has no resume: its `load_model` restarts at epoch 0).
///
/// ```json
/// { "best_epoch" : 3, "best_val_loss" : 0.1234, "epoch" : 4, "format" : 1, "global_step" : 16585,
///   "random_states" : { "shuffle" : ["0x9e3779b97f4a7c15", …] }, "seed" : "0x000000000000002a" }
/// ```
/// 64-bit values are hex strings, so no JSON reader rounds them through a double.
public struct TrainerState: Equatable, Sendable {
    public static let fileName = "trainer_state.json"
    /// The layout version of the file.
    public static let currentFormat = 1

    /// The 0-based epoch just finished (the N of `weights_N`).
    public var epoch: Int
    /// Optimizer steps taken so far, i.e. the global index of the next step.
    public var globalStep: Int
    /// `--seed`, when the run has one.
    public var seed: UInt64?
    /// Named random generator states the trainer needs to continue bit for bit.
    public var randomStates: [String: [UInt64]]
    /// The lowest full-validation loss so far and the epoch it came from (nil: none yet / disabled).
    public var bestValidationLoss: Double?
    public var bestEpoch: Int?

    public init(epoch: Int, globalStep: Int, seed: UInt64? = nil, randomStates: [String: [UInt64]] = [:],
                bestValidationLoss: Double? = nil, bestEpoch: Int? = nil) {
        self.epoch = epoch
        self.globalStep = globalStep
        self.seed = seed
        self.randomStates = randomStates
        self.bestValidationLoss = bestValidationLoss
        self.bestEpoch = bestEpoch
    }

    /// The epoch a resumed run starts with.
    public var nextEpoch: Int { epoch + 1 }

    /// Records the full-validation loss of `epoch` and returns whether it is a new best (then
    /// `weights_best` is due). A non-finite loss is never a best.
    public mutating func recordValidation(loss: Double, epoch: Int) -> Bool {
        guard loss.isFinite else { return false }
        if let best = bestValidationLoss, loss >= best { return false }
        bestValidationLoss = loss
        bestEpoch = epoch
        return true
    }

    /// The file's fields as stored (64-bit values as hex text).
    private struct Stored: Codable {
        var format: Int
        var epoch: Int
        var global_step: Int
        var seed: String?
        var random_states: [String: [String]]?
        var best_val_loss: Double?
        var best_epoch: Int?
    }

    /// The JSON text (sorted keys, indented; ends with a newline).
    public func encoded() throws(TrainingCheckpointError) -> Data {
        if let loss = bestValidationLoss, !loss.isFinite {
            throw .badState(file: Self.fileName, problem: "best validation loss \(loss) is not finite")
        }
        let stored = Stored(format: Self.currentFormat, epoch: epoch, global_step: globalStep, seed: seed.map(Self.hex),
                            random_states: randomStates.mapValues { $0.map(Self.hex) },
                            best_val_loss: bestValidationLoss, best_epoch: bestEpoch)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            var data = try encoder.encode(stored)
            data.append(0x0A)
            return data
        } catch {
            throw .badState(file: Self.fileName, problem: "cannot encode (\(error))")
        }
    }

    /// Parses the JSON text of `file` (named in errors).
    public init(json data: Data, file: String) throws(TrainingCheckpointError) {
        func bad(_ problem: String) -> TrainingCheckpointError { .badState(file: file, problem: problem) }
        let stored: Stored
        do {
            stored = try JSONDecoder().decode(Stored.self, from: data)
        } catch DecodingError.keyNotFound(let key, _) {
            throw bad("no '\(key.stringValue)'")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
                DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty {
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            throw bad(path.isEmpty ? "not a JSON object" : "'\(path)' has the wrong type")
        } catch {
            throw bad("not a valid trainer state (JSON with integer epoch and global_step)")
        }
        guard stored.format == Self.currentFormat else { throw bad("format \(stored.format); this build reads \(Self.currentFormat)") }
        guard stored.epoch >= 0 else { throw bad("negative 'epoch'") }
        guard stored.global_step >= 0 else { throw bad("negative 'global_step'") }
        epoch = stored.epoch
        globalStep = stored.global_step
        if let text = stored.seed {
            guard let value = Self.parseHex(text) else { throw bad("'seed' is not a 0x-prefixed 64-bit hex string") }
            seed = value
        } else {
            seed = nil
        }
        var states: [String: [UInt64]] = [:]
        for (name, words) in stored.random_states ?? [:] {
            var values: [UInt64] = []
            for text in words {
                guard let value = Self.parseHex(text) else { throw bad("random state '\(name)' holds '\(text)', not a 64-bit hex string") }
                values.append(value)
            }
            states[name] = values
        }
        randomStates = states
        bestValidationLoss = stored.best_val_loss
        bestEpoch = stored.best_epoch
    }

    /// Reads `folder/trainer_state.json`; a folder without one is `.notResumable`.
    public static func read(from folder: URL) throws(TrainingCheckpointError) -> TrainerState {
        let url = folder.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { throw .notResumable(folder: folder.path) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .fileSystem(path: url.path, problem: "cannot read (\(error.localizedDescription))")
        }
        return try TrainerState(json: data, file: url.path)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
    }

    private static func parseHex(_ text: String) -> UInt64? {
        guard text.hasPrefix("0x"), text.count > 2, text.count <= 18 else { return nil }
        return UInt64(text.dropFirst(2), radix: 16)
    }
}
