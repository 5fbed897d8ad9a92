import CommandLineKit

/// A combination of option values the tools cannot run with. Each message names the flag(s) and the
/// value(s); `runMain` prints it and exits with status 2, as for any usage error.
public enum OptionsError: Error, Equatable, Sendable, CustomStringConvertible, CommandLineUsageError {
    /// `--height` / `--width` not a positive multiple of 32 (the encoder halves the size five times).
    case notMultipleOf32(flag: String, value: Int)
    /// `--frame_ids` not starting with 0 (the target frame).
    case frameIDsMustStartWithZero([Int])
    /// A repeated value in a list flag (`--frame_ids`, `--scales`).
    case repeatedValue(flag: String, value: Int)
    /// A value of `--scales` outside 0...3 (the depth decoder has four output scales).
    case scaleOutOfRange(Int)
    /// `--scales` without 0 and without `--v1_multiscale`: every scale's depth is upsampled and warped at
    /// scale 0, which the original only sets up for the scales given (it stops with `KeyError: 0` in
    /// generate_images_pred, `self.backproject_depth[source_scale]`, on the first batch).
    case scalesWithoutZero([Int])
    /// `--predictive_mask` without `--disable_automasking` (the original asserts it).
    case predictiveMaskNeedsDisableAutomasking
    /// Both or neither of `--eval_mono` / `--eval_stereo` for a depth evaluation split.
    case evaluationMode(evalMono: Bool, evalStereo: Bool)
    /// A number flag below its minimum (e.g. `--batch_size 0`).
    case tooSmall(flag: String, value: String, minimum: String)
    /// A float flag that must be positive (e.g. `--learning_rate 0`).
    case notPositive(flag: String, value: Double)
    /// `--min_depth` not below `--max_depth`.
    case depthRange(minDepth: Double, maxDepth: Double)
    /// `--models_to_load` names a network this configuration does not build (the original fails with
    /// a KeyError in load_model).
    case modelNotBuilt(ModelName, built: [ModelName])

    public var description: String {
        switch self {
        case let .notMultipleOf32(flag, value):
            return "argument --\(flag): \(value) is not a positive multiple of 32"
        case let .frameIDsMustStartWithZero(ids):
            return "argument --frame_ids: frame_ids must start with 0 (got \(ids.map(String.init).joined(separator: " ")))"
        case let .repeatedValue(flag, value):
            return "argument --\(flag): \(value) is given twice"
        case let .scaleOutOfRange(value):
            return "argument --scales: \(value) is not a decoder scale (choose from 0, 1, 2, 3)"
        case let .scalesWithoutZero(scales):
            return "argument --scales: \(scales.map(String.init).joined(separator: " ")) has no 0: without --v1_multiscale "
                + "every scale's depth is upsampled and warped at scale 0 (the original stops with KeyError: 0 in "
                + "generate_images_pred, backproject_depth[source_scale]); add 0 or pass --v1_multiscale"
        case .predictiveMaskNeedsDisableAutomasking:
            return "argument --predictive_mask: the predictive mask requires --disable_automasking "
                + "(the two masking schemes cannot be combined)"
        case let .evaluationMode(mono, stereo):
            return "Please choose mono or stereo evaluation by setting either --eval_mono or --eval_stereo "
                + "(got --eval_mono \(mono ? "set" : "unset"), --eval_stereo \(stereo ? "set" : "unset"))"
        case let .tooSmall(flag, value, minimum):
            return "argument --\(flag): \(value) is below the minimum \(minimum)"
        case let .notPositive(flag, value):
            return "argument --\(flag): \(value) must be positive"
        case let .depthRange(minDepth, maxDepth):
            return "arguments --min_depth \(minDepth) and --max_depth \(maxDepth): min_depth must be positive "
                + "and below max_depth"
        case let .modelNotBuilt(name, built):
            return "argument --models_to_load: '\(name.rawValue)' is not a network of this configuration "
                + "(it builds " + built.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
        }
    }
}

/// Which tool's rules `validate(for:)` applies.
public enum OptionsPurpose: Sendable {
    /// `train` and anything that builds training samples or steps (bench): the trainer's asserts and
    /// the ranges its arithmetic needs.
    case training
    /// `evaluate`: evaluate_depth.py's rule that exactly one evaluation mode is chosen (depth splits).
    case evaluation
}

extension MonodepthOptions {
    /// Checks the options for a tool; throws the first problem found.
    public func validate(for purpose: OptionsPurpose) throws(OptionsError) {
        switch purpose {
        case .training: try validateTraining()
        case .evaluation: try validateEvaluation()
        }
    }

    private func validateTraining() throws(OptionsError) {
        for (flag, value) in [("height", height), ("width", width)] where value <= 0 || value % 32 != 0 {
            throw .notMultipleOf32(flag: flag, value: value)
        }
        if frameIDs.first != 0 { throw .frameIDsMustStartWithZero(frameIDs) }
        if let repeated = Self.firstRepeated(frameIDs) { throw .repeatedValue(flag: "frame_ids", value: repeated) }
        if let scale = scales.first(where: { !(0...3).contains($0) }) { throw .scaleOutOfRange(scale) }
        if let repeated = Self.firstRepeated(scales) { throw .repeatedValue(flag: "scales", value: repeated) }
        if !v1Multiscale && !scales.contains(0) { throw .scalesWithoutZero(scales) }
        if predictiveMask && !disableAutomasking { throw .predictiveMaskNeedsDisableAutomasking }
        let minimums: [(String, Int, Int)] = [
            ("batch_size", batchSize, 1), ("num_epochs", numEpochs, 1),
            ("scheduler_step_size", schedulerStepSize, 1), ("num_workers", numWorkers, 0),
            ("log_frequency", logFrequency, 1), ("save_frequency", saveFrequency, 1),
            ("frame_stride", frameStride, 1), ("val_every", valEvery, 2),
        ]
        for (flag, value, minimum) in minimums where value < minimum {
            throw .tooSmall(flag: flag, value: String(value), minimum: String(minimum))
        }
        if let maxBadFrames, maxBadFrames < 0 { throw .tooSmall(flag: "max_bad_frames", value: String(maxBadFrames), minimum: "0") }
        if !(learningRate > 0) { throw .notPositive(flag: "learning_rate", value: learningRate) }
        if !(stereoBaseline > 0) { throw .notPositive(flag: "stereo_baseline", value: stereoBaseline) }
        if !(minDepth > 0 && minDepth < maxDepth) { throw .depthRange(minDepth: minDepth, maxDepth: maxDepth) }
    }

    private func validateEvaluation() throws(OptionsError) {
        if evalSplit.odometrySequence == nil, evalMono == evalStereo {
            throw .evaluationMode(evalMono: evalMono, evalStereo: evalStereo)
        }
        if numWorkers < 0 { throw .tooSmall(flag: "num_workers", value: String(numWorkers), minimum: "0") }
        for (flag, value) in [("height", height), ("width", width)] where value <= 0 || value % 32 != 0 {
            if evalSplit.odometrySequence != nil { throw .notMultipleOf32(flag: flag, value: value) }
        }
    }

    private static func firstRepeated(_ values: [Int]) -> Int? {
        var seen: Set<Int> = []
        for value in values where !seen.insert(value).inserted { return value }
        return nil
    }
}
