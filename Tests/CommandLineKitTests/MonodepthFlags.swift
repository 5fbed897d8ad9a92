import CommandLineKit

/// A table in the shape of monodepth2's options.py (a subset of its flags with their real defaults and
/// choices), declared once with typed fields, as each tool does.
enum EvalSplit: String, CaseIterable, FlagValue {
    case eigen
    case eigenBenchmark = "eigen_benchmark"
    case benchmark
    case odom9 = "odom_9"
    case odom10 = "odom_10"
}

struct MonodepthFlags {
    var dataPath: String
    var modelName: String
    var split: String
    var numLayers: Int
    var png: Bool
    var height: Int
    var width: Int
    var disparitySmoothness: Double
    var scales: [Int]
    var minDepth: Double
    var useStereo: Bool
    var frameIDs: [Int]
    var learningRate: Float
    var loadWeightsFolder: String?
    var modelsToLoad: [String]
    var evalMono: Bool
    var evalStereo: Bool
    var evalSplit: EvalSplit
    var postProcess: Bool

    static func flagSet() -> (FlagSet, (ParsedFlags) -> MonodepthFlags) {
        var flags = FlagSet(program: "train", overview: "Monodepth2 options (a subset, for the tests).")
        flags.group("Paths")
        let dataPath = flags.option("data_path", default: "kitti_data", help: "path to the training data")
        flags.group("Training options")
        let modelName = flags.option("model_name", default: "mdp", help: "the name of the folder to save the model in")
        let split = flags.option("split", default: "eigen_zhou",
                                 choices: ["eigen_zhou", "eigen_full", "odom", "benchmark"],
                                 help: "which training split to use")
        let numLayers = flags.option("num_layers", default: 18, choices: [18, 34, 50, 101, 152],
                                     help: "number of resnet layers")
        let png = flags.flag("png", help: "if set, trains from raw KITTI png files (instead of jpgs)")
        let height = flags.option("height", default: 192, help: "input image height")
        let width = flags.option("width", default: 640, help: "input image width")
        let smoothness = flags.option("disparity_smoothness", default: 1e-3, help: "disparity smoothness weight")
        let scales = flags.list("scales", default: [0, 1, 2, 3], help: "scales used in the loss")
        let minDepth = flags.option("min_depth", default: 0.1, help: "minimum depth")
        let useStereo = flags.flag("use_stereo", help: "if set, uses stereo pair for training")
        let frameIDs = flags.list("frame_ids", default: [0, -1, 1], help: "frames to load")
        flags.group("Optimization options")
        let learningRate = flags.option("learning_rate", default: Float(1e-4), help: "learning rate")
        flags.group("Loading options")
        let loadWeights = flags.optionalOption("load_weights_folder", type: String.self, help: "name of model to load")
        let modelsToLoad = flags.list("models_to_load", default: ["encoder", "depth", "pose_encoder", "pose"],
                                      help: "models to load")
        flags.group("Evaluation options")
        let evalStereo = flags.flag("eval_stereo", help: "if set evaluates in stereo mode")
        let evalMono = flags.flag("eval_mono", help: "if set evaluates in mono mode")
        let evalSplit = flags.option("eval_split", default: EvalSplit.eigen, help: "which split to run eval on")
        let postProcess = flags.flag("post_process", help: "if set will perform the flipping post processing")
        return (flags, { parsed in
            MonodepthFlags(
                dataPath: parsed[dataPath], modelName: parsed[modelName], split: parsed[split],
                numLayers: parsed[numLayers], png: parsed[png], height: parsed[height], width: parsed[width],
                disparitySmoothness: parsed[smoothness], scales: parsed[scales], minDepth: parsed[minDepth],
                useStereo: parsed[useStereo], frameIDs: parsed[frameIDs], learningRate: parsed[learningRate],
                loadWeightsFolder: parsed[loadWeights], modelsToLoad: parsed[modelsToLoad],
                evalMono: parsed[evalMono], evalStereo: parsed[evalStereo], evalSplit: parsed[evalSplit],
                postProcess: parsed[postProcess])
        })
    }

    static func parse(_ commandLine: String) throws(CommandLineError) -> MonodepthFlags {
        let (flags, build) = flagSet()
        return build(try flags.parse(commandLine.split(separator: " ").map(String.init)))
    }
}
