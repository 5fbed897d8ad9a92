// export-onnx: a Monodepth2 weights folder as ONNX models (depth.onnx, pose.onnx) for ONNX Runtime,
// TensorRT, OpenVINO and the other runtimes that import ONNX.
//   export-onnx --load_weights_folder models/mono_640x192 [--output_directory out] [--height 192 --width 640]
import CommandLineKit

runMain {
    let options = try ExportOptions.parse(CommandLine.arguments.dropFirst())
    try ExportRun(options: options).run()
}
