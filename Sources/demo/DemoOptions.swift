import CommandLineKit
import Foundation

/// test_simple.py's flags (plus `--load_weights_folder`, `--models_dir`, `--output_directory`).
struct DemoOptions {
    var imagePath: String
    var modelName: String?
    var loadWeightsFolder: String?
    var modelsDirectory: String
    var ext: String
    var predictMetricDepth: Bool
    var outputDirectory: String?
    var savePointCloud: Bool
    var intrinsicsPath: String?
    var minDepth: Double
    var maxDepth: Double

    static func flagSet() -> (FlagSet, (ParsedFlags) -> DemoOptions) {
        var flags = FlagSet(program: "demo", overview: "Simple testing function for Monodepth2 models (test_simple.py): "
            + "writes NAME_disp.jpeg (magma) and NAME_disp.npy (or NAME_depth.npy) for an image or a folder of images.")
        let imagePath = flags.requiredOption("image_path", type: String.self, help: "path to a test image or folder of images")
        let modelName = flags.optionalOption("model_name", type: String.self,
                                             help: "name of a model folder under --models_dir (e.g. mono+stereo_640x192) "
                                                + "holding the official encoder.pth and depth.pth")
        let loadWeights = flags.optionalOption("load_weights_folder", type: String.self,
                                               help: "folder holding encoder.pth and depth.pth (instead of --model_name)")
        let modelsDir = flags.option("models_dir", default: "models", help: "folder of named model folders for --model_name")
        let ext = flags.option("ext", default: "jpg", help: "image extension to search for in folder")
        let noCuda = flags.flag("no_cuda", help: "accepted for compatibility; this port always runs on the CPU")
        let metric = flags.flag("pred_metric_depth", help: "if set, predicts metric depth instead of disparity. "
            + "(This only makes sense for stereo-trained KITTI models).")
        let output = flags.optionalOption("output_directory", type: String.self,
                                          help: "where to write the outputs (default: beside the image / in the folder)")
        let pointCloud = flags.flag("save_point_cloud", help: "also write NAME.ply: a coloured 3-D point per pixel from the "
            + "predicted depth and the intrinsics (metric with --pred_metric_depth on a stereo model, up to scale otherwise)")
        let intrinsics = flags.optionalOption("intrinsics", type: String.self,
                                              help: "3x3 pixel-unit K for --save_point_cloud (default: KITTI's, scaled to each image)")
        let minDepth = flags.option("min_depth", default: 0.1,
                                    help: "the --min_depth the model was trained with (disp_to_depth; test_simple.py fixes 0.1)")
        let maxDepth = flags.option("max_depth", default: 100.0,
                                    help: "the --max_depth the model was trained with (disp_to_depth; test_simple.py fixes 100)")
        return (flags, { parsed in
            _ = parsed[noCuda]
            return DemoOptions(imagePath: parsed[imagePath], modelName: parsed[modelName], loadWeightsFolder: parsed[loadWeights],
                               modelsDirectory: parsed[modelsDir], ext: parsed[ext], predictMetricDepth: parsed[metric],
                               outputDirectory: parsed[output], savePointCloud: parsed[pointCloud],
                               intrinsicsPath: parsed[intrinsics], minDepth: parsed[minDepth], maxDepth: parsed[maxDepth])
        })
    }

    static func parse<S: Sequence>(_ arguments: S) throws -> DemoOptions where S.Element == String {
        let (flags, build) = flagSet()
        return build(try flags.parse(arguments))
    }
}
