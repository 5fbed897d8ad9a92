import Foundation
import Options

/// `--resume` checks what it resumes: the flags that define the run (image size, networks, frames,
/// scales, losses, data, batch) must equal those in the resumed run's `models/opt.json`; a
/// difference is an error naming every differing flag with both values. The flags of `mayChange`
/// may differ and are reported as notes. `--load_weights_folder` (a new run from given weights, at
/// any size) is not checked. `--seed` is checked through `trainer_state.json` (the run keeps its own).
public enum ResumeAgreement {
    /// Flags that define the run: changing one would train another model or make its validation
    /// losses (and so `weights_best`) incomparable with the stored ones.
    public static let definesRun: [String] = [
        "split", "dataset", "num_layers", "height", "width", "scales", "min_depth", "max_depth", "use_stereo",
        "frame_ids", "batch_size", "v1_multiscale", "pose_model_type", "pose_model_input", "disparity_smoothness",
        "avg_reprojection", "disable_automasking", "predictive_mask", "no_ssim",
    ]
    /// Flags that may change on resume (each change is printed as a note).
    public static let mayChange: [String] = [
        "num_epochs", "learning_rate", "scheduler_step_size", "num_workers", "log_frequency", "save_frequency",
        "data_path", "png",
    ]

    /// One flag whose value differs from the resumed run's.
    public struct Difference: Equatable, Sendable, CustomStringConvertible {
        public var flag: String
        public var run: String
        public var now: String
        public var description: String { "--\(flag) \(run) (now \(now))" }
    }

    /// Compares `options` with `opt.json` beside the resumed `weightsFolder` (`models/opt.json`).
    /// Throws `.resumeDiffers` naming every differing run-defining flag; returns the note lines for
    /// the flags of `mayChange` that changed (or why nothing could be compared).
    public static func check(_ options: MonodepthOptions, weightsFolder: URL) throws -> [String] {
        let file = weightsFolder.deletingLastPathComponent().appendingPathComponent("opt.json")
        guard FileManager.default.fileExists(atPath: file.path) else {
            return ["note: no opt.json beside \(weightsFolder.path), so the flags of the resumed run cannot be compared with these"]
        }
        let stored = try storedValues(file)
        let current = Dictionary(OptionTable.original.compactMap { entry in
            entry.jsonValue(of: options).map { (entry.name, Value($0)) }
        }, uniquingKeysWith: { first, _ in first })
        func differences(_ flags: [String]) -> [Difference] {
            flags.compactMap { flag in
                guard let run = stored[flag], let now = current[flag], run != now else { return nil }
                return Difference(flag: flag, run: run.text, now: now.text)
            }
        }
        let fixed = differences(definesRun)
        guard fixed.isEmpty else { throw TrainerError.resumeDiffers(folder: weightsFolder.path, differences: fixed) }
        return differences(mayChange).map { "note: resuming with \($0)" }
    }

    /// opt.json's values by key.
    static func storedValues(_ file: URL) throws -> [String: Value] {
        do {
            return try JSONDecoder().decode([String: Value].self, from: Data(contentsOf: file))
        } catch {
            throw TrainingCheckpointError.badState(file: file.path, problem: "not an opt.json object (\(error.localizedDescription))")
        }
    }

    /// A JSON value with every number as a Double (opt.json writes 100.0 where the flag is a float).
    enum Value: Equatable, Decodable {
        case null, bool(Bool), number(Double), string(String), array([Value]), other

        init(_ json: PythonJSON) {
            switch json {
            case .null: self = .null
            case .bool(let value): self = .bool(value)
            case .int(let value): self = .number(Double(value))
            case .float(let value): self = .number(value)
            case .string(let value): self = .string(value)
            case .array(let items): self = .array(items.map(Value.init))
            case .object: self = .other
            }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let value = try? container.decode(Bool.self) { self = .bool(value) }
            else if let value = try? container.decode(Double.self) { self = .number(value) }
            else if let value = try? container.decode(String.self) { self = .string(value) }
            else if let value = try? container.decode([Value].self) { self = .array(value) }
            else { self = .other }
        }

        var text: String {
            switch self {
            case .null: return "None"
            case .bool(let value): return value ? "true" : "false"
            case .number(let value):
                return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
            case .string(let value): return value
            case .array(let items): return items.map(\.text).joined(separator: " ")
            case .other: return "(an object)"
            }
        }
    }
}
