import CommandLineKit
import Evaluation
import Foundation

extension EvaluationSplit: FlagValue {}

/// The command line of `evaluate`: the original's shared option set (options.py, MONODEPTH2.md §1)
/// so that pasted evaluate_depth.py / evaluate_pose.py commands work, plus `--gt_path`.
struct EvaluateCommandLine {
    var flags = FlagSet(program: "evaluate", overview: """
        Evaluates Monodepth2 on KITTI like evaluate_depth.py: depth metrics for --eval_split eigen and \
        eigen_benchmark, benchmark submission PNGs for benchmark. With --eval_split odom_9 or odom_10 it \
        evaluates POSE like evaluate_pose.py (trajectory error over 5-frame snippets). Exactly one of \
        --eval_mono / --eval_stereo is required for depth.
        """)
    let dataPath, loadWeightsFolder, extDispToEval, evalOutDir, gtPath: Flag<String?>
    let evalMono, evalStereo, evalEigenToBenchmark, savePredDisps, noEval, disableMedianScaling, postProcess, png: Flag<Bool>
    let evalSplit: Flag<EvaluationSplit>
    let predDepthScaleFactor, minDepth, maxDepth: Flag<Double>
    let height, width, numLayers, batchSize, numWorkers: Flag<Int>

    init() {
        flags.group("evaluation")
        dataPath = flags.optionalOption("data_path", type: String.self,
                                        help: "KITTI root: images for the model, poses/ for odometry (default: kitti_data beside splits/)")
        loadWeightsFolder = flags.optionalOption("load_weights_folder", type: String.self,
                                                 help: "model folder (encoder.pth, depth.pth; pose: pose_encoder.pth, pose.pth); outputs are saved there")
        evalMono = flags.flag("eval_mono", help: "mono evaluation: per-image median scaling")
        evalStereo = flags.flag("eval_stereo", help: "stereo evaluation: depths x5.4, no median scaling")
        evalSplit = flags.option("eval_split", default: EvaluationSplit.eigen,
                                 help: "which split to run eval on; odom_9 / odom_10 run pose evaluation")
        extDispToEval = flags.optionalOption("ext_disp_to_eval", type: String.self,
                                             help: "optional path to a .npy of disparities (N, H, W) to evaluate instead of a model")
        evalEigenToBenchmark = flags.flag("eval_eigen_to_benchmark",
                                          help: "with --ext_disp_to_eval: evaluate 697 eigen predictions on the 652 eigen_benchmark frames")
        savePredDisps = flags.flag("save_pred_disps", help: "save the predicted disparities to <load_weights_folder>/disps_<eval_split>_split.npy")
        noEval = flags.flag("no_eval", help: "stop after prediction")
        disableMedianScaling = flags.flag("disable_median_scaling", help: "no median scaling in mono evaluation")
        predDepthScaleFactor = flags.option("pred_depth_scale_factor", default: 1.0,
                                            help: "multiply predicted depths by this (stereo evaluation uses 5.4)")
        postProcess = flags.flag("post_process", help: "flip post-processing (two forward passes per image)")
        evalOutDir = flags.optionalOption("eval_out_dir", type: String.self, help: "declared by the original, never used")
        gtPath = flags.optionalOption("gt_path", type: String.self,
                                      help: "gt_depths.npz to use instead of splits/<eval_split>/gt_depths.npz")
        minDepth = flags.option("min_depth", default: 0.1, help: "minimum depth (disp_to_depth of model outputs)")
        maxDepth = flags.option("max_depth", default: 100.0, help: "maximum depth (disp_to_depth of model outputs)")
        height = flags.option("height", default: 192, help: "input height for pose evaluation (depth reads it from encoder.pth)")
        width = flags.option("width", default: 640, help: "input width for pose evaluation (depth reads it from encoder.pth)")
        numLayers = flags.option("num_layers", default: 18, choices: [18, 34, 50, 101, 152], help: "number of resnet layers")
        batchSize = flags.option("batch_size", default: 12, help: "batch size for pose evaluation (depth uses 16)")
        numWorkers = flags.option("num_workers", default: 12, help: "number of dataloader workers")
        png = flags.flag("png", help: "read .png images (depth evaluation always reads .jpg, like the original)")

        // Training options of the shared parser: accepted so pasted commands work, unused here.
        flags.group("training options (accepted, unused by evaluate)")
        _ = flags.optionalOption("log_dir", type: String.self, help: "log directory")
        _ = flags.option("model_name", default: "mdp", help: "the name of the folder to save the model in")
        _ = flags.option("split", default: "eigen_zhou", choices: ["eigen_zhou", "eigen_full", "odom", "benchmark"],
                         help: "which training split to use")
        _ = flags.option("dataset", default: "kitti", choices: ["kitti", "kitti_odom", "kitti_depth", "kitti_test"],
                         help: "dataset to train on")
        _ = flags.option("disparity_smoothness", default: 1e-3, help: "disparity smoothness weight")
        _ = flags.list("scales", default: [0, 1, 2, 3], help: "scales used in the loss")
        _ = flags.flag("use_stereo", help: "use stereo pairs for training")
        _ = flags.list("frame_ids", default: [0, -1, 1], help: "frames to load")
        _ = flags.option("learning_rate", default: 1e-4, help: "learning rate")
        _ = flags.option("num_epochs", default: 20, help: "number of epochs")
        _ = flags.option("scheduler_step_size", default: 15, help: "step size of the scheduler")
        _ = flags.flag("v1_multiscale", help: "monodepthv1 multiscale")
        _ = flags.flag("avg_reprojection", help: "average reprojection loss")
        _ = flags.flag("disable_automasking", help: "no auto-masking")
        _ = flags.flag("predictive_mask", help: "predictive mask (Zhou et al.)")
        _ = flags.flag("no_ssim", help: "no SSIM in the loss")
        _ = flags.option("weights_init", default: "pretrained", choices: ["pretrained", "scratch"], help: "pretrained or scratch")
        _ = flags.option("pose_model_input", default: "pairs", choices: ["pairs", "all"], help: "how many images the pose network gets")
        _ = flags.option("pose_model_type", default: "separate_resnet", choices: ["posecnn", "separate_resnet", "shared"],
                         help: "normal or shared")
        _ = flags.flag("no_cuda", help: "accepted; everything runs on the CPU")
        _ = flags.list("models_to_load", default: ["encoder", "depth", "pose_encoder", "pose"], help: "models to load")
        _ = flags.option("log_frequency", default: 250, help: "number of batches between each tensorboard log")
        _ = flags.option("save_frequency", default: 1, help: "number of epochs between each save")
    }

    /// Parses `arguments` into the library's options.
    func parse(_ arguments: [String]) throws(CommandLineError) -> EvaluationOptions {
        let parsed = try flags.parse(arguments)
        var options = EvaluationOptions()
        options.dataPath = parsed[dataPath]
            ?? options.splitsDirectory.deletingLastPathComponent().appendingPathComponent("kitti_data").path
        options.loadWeightsFolder = parsed[loadWeightsFolder]
        options.evalMono = parsed[evalMono]
        options.evalStereo = parsed[evalStereo]
        options.evalSplit = parsed[evalSplit]
        options.extDispToEval = parsed[extDispToEval]
        options.evalEigenToBenchmark = parsed[evalEigenToBenchmark]
        options.savePredDisps = parsed[savePredDisps]
        options.noEval = parsed[noEval]
        options.disableMedianScaling = parsed[disableMedianScaling]
        options.predDepthScaleFactor = parsed[predDepthScaleFactor]
        options.postProcess = parsed[postProcess]
        options.gtPath = parsed[gtPath]
        options.minDepth = parsed[minDepth]
        options.maxDepth = parsed[maxDepth]
        options.height = parsed[height]
        options.width = parsed[width]
        options.numLayers = parsed[numLayers]
        options.batchSize = parsed[batchSize]
        options.numWorkers = parsed[numWorkers]
        options.png = parsed[png]
        if options.evalSplit.odometrySequence == nil, options.evalMono == options.evalStereo {
            throw .usage("Please choose mono or stereo evaluation by setting either --eval_mono or --eval_stereo")
        }
        return options
    }
}
