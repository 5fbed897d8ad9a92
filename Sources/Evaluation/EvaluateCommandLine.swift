import CommandLineKit
import Options

/// The command line of `evaluate`: every flag of the original options.py (the shared table, so pasted
/// evaluate_depth.py / evaluate_pose.py commands work), plus `--gt_path`.
public struct EvaluateCommandLine {
    public private(set) var flags = FlagSet(program: "evaluate", overview: """
        Evaluates Monodepth2 like evaluate_depth.py: depth metrics for --eval_split eigen and \
        eigen_benchmark, benchmark submission PNGs for benchmark. With --eval_split odom_9 or odom_10 it \
        evaluates POSE like evaluate_pose.py (trajectory error over 5-frame snippets). Exactly one of \
        --eval_mono / --eval_stereo is required for depth. --eval_split synthetic (ours) evaluates on the \
        synthetic world: <data_path>/splits/synthetic/test_files.txt and gt_depths.npz there. evaluate \
        reads --data_path, --load_weights_folder, --num_layers, --min_depth, --max_depth, the evaluation \
        options, and for pose --height, --width, --batch_size; the depth network takes its input size from \
        encoder.pth. The other training options are accepted so pasted commands work.
        """)
    let shared: DeclaredOptions
    let gtPath: Flag<String?>

    public init() {
        shared = flags.include(OptionTable.original)
        flags.group("evaluate options (not in the original)")
        gtPath = flags.optionalOption("gt_path", type: String.self,
                                      help: "gt_depths.npz to use instead of the one in the split's folder")
    }

    /// Parses and validates `arguments` into the library's options.
    public func parse(_ arguments: [String]) throws -> EvaluationOptions {
        let parsed = try flags.parse(arguments)
        let options = shared.options(from: parsed)
        try options.validate(for: .evaluation)
        return EvaluationOptions(options, gtPath: parsed[gtPath])
    }
}
