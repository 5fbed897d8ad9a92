import CommandLineKit
import ONNX

/// export-onnx's flags.
struct ExportOptions {
    var loadWeightsFolder: String
    var outputDirectory: String?
    var height: Int?
    var width: Int?
    var opset: Int
    var minDepth: Double
    var maxDepth: Double
    var allScales: Bool
    var depthOnly: Bool
    var parityInput: String?
    var parityPoseInput: String?

    static func flagSet() -> (FlagSet, (ParsedFlags) -> ExportOptions) {
        var flags = FlagSet(program: "export-onnx", overview: "Writes a Monodepth2 weights folder as ONNX models: depth.onnx "
            + "(image N x 3 x H x W in [0, 1] -> disp) and, when the folder has pose weights, pose.onnx (frames N x 6 x H x W "
            + "-> axisangle, translation, transformation). The architecture (ResNet 18/34/50/101/152, separate_resnet, "
            + "shared or posecnn pose) is read from the files; BatchNorm is folded into the convolutions.")
        let folder = flags.requiredOption("load_weights_folder", type: String.self,
                                          help: "folder holding encoder.pth and depth.pth (and pose.pth, pose_encoder.pth)")
        let output = flags.optionalOption("output_directory", type: String.self,
                                          help: "where to write depth.onnx and pose.onnx (default: the weights folder)")
        let height = flags.optionalOption("height", type: Int.self, help: "input height, a multiple of 32 (default: encoder.pth's)")
        let width = flags.optionalOption("width", type: Int.self, help: "input width, a multiple of 32 (default: encoder.pth's)")
        let opset = flags.option("opset", default: ModelExport.defaultOpset,
                                 help: "ONNX opset, \(ModelExport.supportedOpsets.lowerBound) to \(ModelExport.supportedOpsets.upperBound) "
                                    + "(17 suits ONNX Runtime, TensorRT 8.6+ and OpenVINO)")
        let minDepth = flags.option("min_depth", default: 0.1, help: "the --min_depth the model was trained with (metadata for disp_to_depth)")
        let maxDepth = flags.option("max_depth", default: 100.0, help: "the --max_depth the model was trained with (metadata for disp_to_depth)")
        let allScales = flags.flag("all_scales", help: "also output the coarser disparities disp_1, disp_2, disp_3")
        let depthOnly = flags.flag("depth_only", help: "write depth.onnx only, even when the folder has pose weights")
        flags.group("checking against ONNX Runtime (Tests/Tools/check-onnx.py)")
        let parity = flags.optionalOption("parity_input", type: String.self,
                                          help: "an N x 3 x H x W float32 .npy: also write our own forward's disparities on it "
                                            + "to OUTPUT/parity/disp.npy (disp_1.npy … with --all_scales)")
        let parityPose = flags.optionalOption("parity_pose_input", type: String.self,
                                              help: "an N x 3k x H x W float32 .npy: also write our pose forward's outputs to "
                                                + "OUTPUT/parity/axisangle.npy, translation.npy, transformation.npy")
        return (flags, { parsed in
            ExportOptions(loadWeightsFolder: parsed[folder], outputDirectory: parsed[output], height: parsed[height],
                          width: parsed[width], opset: parsed[opset], minDepth: parsed[minDepth], maxDepth: parsed[maxDepth],
                          allScales: parsed[allScales], depthOnly: parsed[depthOnly], parityInput: parsed[parity],
                          parityPoseInput: parsed[parityPose])
        })
    }

    static func parse<S: Sequence>(_ arguments: S) throws -> ExportOptions where S.Element == String {
        let (flags, build) = flagSet()
        return build(try flags.parse(arguments))
    }
}
