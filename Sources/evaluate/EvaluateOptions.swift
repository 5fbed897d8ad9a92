import Evaluation
import Foundation

// Command line of `evaluate`: the original's shared option set (options.py, MONODEPTH2.md §1).
// TEMPORARY hand parser, isolated here until CommandLineKit lands; then this file becomes a
// CommandLineKit flag table.

/// How a flag takes values.
enum FlagKind {
    case bool
    case value
    case values  // one or more (argparse nargs="+")
}

/// A flag of the original's parser: name, kind, choices, help; `evaluate` marks the ones it uses.
struct FlagSpec {
    let name: String
    let kind: FlagKind
    let choices: [String]
    let help: String
    let used: Bool

    init(_ name: String, _ kind: FlagKind, choices: [String] = [], used: Bool = true, _ help: String) {
        self.name = name; self.kind = kind; self.choices = choices; self.help = help; self.used = used
    }
}

enum EvaluateCommandLine {
    static let flags: [FlagSpec] = [
        FlagSpec("data_path", .value, "KITTI root (images for the model, poses/ for odometry; default kitti_data)"),
        FlagSpec("load_weights_folder", .value, "model folder with encoder.pth/depth.pth (pose: pose_encoder.pth/pose.pth); outputs are saved there"),
        FlagSpec("eval_mono", .bool, "mono evaluation: per-image median scaling"),
        FlagSpec("eval_stereo", .bool, "stereo evaluation: depths x5.4, no median scaling"),
        FlagSpec("eval_split", .value, choices: EvaluationSplit.allCases.map(\.rawValue),
                 "split to evaluate on (default eigen); odom_9 / odom_10 run POSE evaluation (trajectory error)"),
        FlagSpec("ext_disp_to_eval", .value, "optional .npy of disparities (N, H, W) to evaluate instead of running a model"),
        FlagSpec("eval_eigen_to_benchmark", .bool, "with --ext_disp_to_eval: reindex 697 eigen predictions to the 652 eigen_benchmark frames"),
        FlagSpec("save_pred_disps", .bool, "save predicted disparities to <load_weights_folder>/disps_<eval_split>_split.npy"),
        FlagSpec("no_eval", .bool, "stop after prediction"),
        FlagSpec("disable_median_scaling", .bool, "no median scaling in mono evaluation"),
        FlagSpec("pred_depth_scale_factor", .value, "multiply predicted depths by this (default 1)"),
        FlagSpec("post_process", .bool, "flip-averaging post-processing (two forward passes per image)"),
        FlagSpec("eval_out_dir", .value, used: false, "declared by the original, never used"),
        FlagSpec("gt_path", .value, "gt_depths.npz to use instead of splits/<eval_split>/gt_depths.npz (port addition)"),
        FlagSpec("png", .bool, "read .png images instead of .jpg (depth evaluation always reads .jpg, like the original)"),
        FlagSpec("num_workers", .value, "loader workers (default 12)"),
        FlagSpec("height", .value, "input height for pose evaluation (default 192; depth takes it from encoder.pth)"),
        FlagSpec("width", .value, "input width for pose evaluation (default 640)"),
        FlagSpec("num_layers", .value, choices: ["18", "34", "50", "101", "152"], "ResNet depth (default 18)"),
        FlagSpec("batch_size", .value, "batch size for pose evaluation (default 12; depth uses 16)"),
        FlagSpec("min_depth", .value, "minimum depth of disp_to_depth (default 0.1)"),
        FlagSpec("max_depth", .value, "maximum depth of disp_to_depth (default 100)"),
        // Training options of the shared parser: accepted so that pasted commands work, unused.
        FlagSpec("log_dir", .value, used: false, "training only"),
        FlagSpec("model_name", .value, used: false, "training only"),
        FlagSpec("split", .value, choices: ["eigen_zhou", "eigen_full", "odom", "benchmark"], used: false, "training only"),
        FlagSpec("dataset", .value, choices: ["kitti", "kitti_odom", "kitti_depth", "kitti_test"], used: false, "training only"),
        FlagSpec("disparity_smoothness", .value, used: false, "training only"),
        FlagSpec("scales", .values, used: false, "training only"),
        FlagSpec("use_stereo", .bool, used: false, "training only"),
        FlagSpec("frame_ids", .values, used: false, "training only"),
        FlagSpec("learning_rate", .value, used: false, "training only"),
        FlagSpec("num_epochs", .value, used: false, "training only"),
        FlagSpec("scheduler_step_size", .value, used: false, "training only"),
        FlagSpec("v1_multiscale", .bool, used: false, "training only"),
        FlagSpec("avg_reprojection", .bool, used: false, "training only"),
        FlagSpec("disable_automasking", .bool, used: false, "training only"),
        FlagSpec("predictive_mask", .bool, used: false, "training only"),
        FlagSpec("no_ssim", .bool, used: false, "training only"),
        FlagSpec("weights_init", .value, choices: ["pretrained", "scratch"], used: false, "training only"),
        FlagSpec("pose_model_input", .value, choices: ["pairs", "all"], used: false, "training only"),
        FlagSpec("pose_model_type", .value, choices: ["posecnn", "separate_resnet", "shared"], used: false, "training only"),
        FlagSpec("no_cuda", .bool, used: false, "accepted; everything runs on the CPU"),
        FlagSpec("models_to_load", .values, used: false, "training only"),
        FlagSpec("log_frequency", .value, used: false, "training only"),
        FlagSpec("save_frequency", .value, used: false, "training only"),
    ]

    static var help: String {
        var text = """
        usage: evaluate (--eval_mono | --eval_stereo) [options]

        Evaluates depth predictions on KITTI like evaluate_depth.py (eval_split eigen, eigen_benchmark,
        benchmark), or pose predictions like evaluate_pose.py (eval_split odom_9, odom_10: trajectory error).

        options:

        """
        for flag in flags where flag.used {
            let argument = flag.kind == .bool ? "" : (flag.choices.isEmpty ? " VALUE" : " {\(flag.choices.joined(separator: ","))}")
            text += "  --\(flag.name)\(argument)\n      \(flag.help)\n"
        }
        text += "\nTraining options of the shared parser are accepted and ignored: "
        text += flags.filter { !$0.used && $0.help == "training only" }.map { "--" + $0.name }.joined(separator: " ") + "\n"
        return text
    }

    enum Outcome {
        case options(EvaluationOptions)
        case help(String)
        case failure(String)
    }

    static func parse(_ arguments: [String]) -> Outcome {
        var values: [String: [String]] = [:]
        var index = 0
        while index < arguments.count {
            var argument = arguments[index]
            index += 1
            if argument == "-h" || argument == "--help" { return .help(help) }
            guard argument.hasPrefix("--") else { return .failure("unrecognized argument: \(argument)") }
            var inline: String?
            if let equals = argument.firstIndex(of: "=") {
                inline = String(argument[argument.index(after: equals)...])
                argument = String(argument[..<equals])
            }
            let name = String(argument.dropFirst(2))
            // argparse accepts unambiguous prefixes.
            let matches = flags.filter { $0.name == name } + (flags.contains { $0.name == name } ? [] : flags.filter { $0.name.hasPrefix(name) })
            guard matches.count == 1, let flag = matches.first else {
                if matches.count > 1 { return .failure("ambiguous option: --\(name) could match \(matches.map { "--" + $0.name }.joined(separator: ", "))") }
                let suggestion = flags.min { distance($0.name, name) < distance($1.name, name) }.map { " (did you mean --\($0.name)?)" } ?? ""
                return .failure("unrecognized argument: --\(name)\(suggestion)")
            }
            switch flag.kind {
            case .bool:
                guard inline == nil else { return .failure("--\(flag.name) takes no value") }
                values[flag.name] = []
            case .value:
                if let inline { values[flag.name] = [inline]; break }
                guard index < arguments.count, !arguments[index].hasPrefix("--") else { return .failure("--\(flag.name) expects a value") }
                values[flag.name] = [arguments[index]]
                index += 1
            case .values:
                var list = inline.map { [$0] } ?? []
                while index < arguments.count, !arguments[index].hasPrefix("--") { list.append(arguments[index]); index += 1 }
                guard !list.isEmpty else { return .failure("--\(flag.name) expects one or more values") }
                values[flag.name] = list
            }
            if !flag.choices.isEmpty, let value = values[flag.name]?.first, !flag.choices.contains(value) {
                return .failure("--\(flag.name): invalid choice '\(value)' (choose from \(flag.choices.joined(separator: ", ")))")
            }
        }
        return build(values)
    }

    static func build(_ values: [String: [String]]) -> Outcome {
        var options = EvaluationOptions()
        func flag(_ name: String) -> Bool { values[name] != nil }
        func string(_ name: String) -> String? { values[name]?.first }
        var problem: String?
        func int(_ name: String, _ fallback: Int) -> Int {
            guard let text = string(name) else { return fallback }
            guard let value = Int(text) else { problem = "--\(name): invalid int value '\(text)'"; return fallback }
            return value
        }
        func double(_ name: String, _ fallback: Double) -> Double {
            guard let text = string(name) else { return fallback }
            guard let value = Double(text) else { problem = "--\(name): invalid float value '\(text)'"; return fallback }
            return value
        }
        options.evalMono = flag("eval_mono")
        options.evalStereo = flag("eval_stereo")
        if let split = string("eval_split") { options.evalSplit = EvaluationSplit(rawValue: split) ?? .eigen }
        options.dataPath = string("data_path") ?? options.dataPath
        options.loadWeightsFolder = string("load_weights_folder")
        options.extDispToEval = string("ext_disp_to_eval")
        options.evalEigenToBenchmark = flag("eval_eigen_to_benchmark")
        options.savePredDisps = flag("save_pred_disps")
        options.noEval = flag("no_eval")
        options.disableMedianScaling = flag("disable_median_scaling")
        options.postProcess = flag("post_process")
        options.predDepthScaleFactor = double("pred_depth_scale_factor", 1)
        options.minDepth = double("min_depth", 0.1)
        options.maxDepth = double("max_depth", 100)
        options.height = int("height", 192)
        options.width = int("width", 640)
        options.numLayers = int("num_layers", 18)
        options.batchSize = int("batch_size", 12)
        options.numWorkers = int("num_workers", 12)
        options.png = flag("png")
        options.gtPath = string("gt_path")
        if let problem { return .failure(problem) }
        return .options(options)
    }

    /// Edit distance for "did you mean".
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}
