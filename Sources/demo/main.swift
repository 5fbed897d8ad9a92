// demo: Monodepth2's test_simple.py — predict a disparity (or metric depth) for an image or a folder
// of images with a trained model folder (encoder.pth + depth.pth).
//   demo --image_path assets/test_image.jpg --model_name mono+stereo_640x192 [--pred_metric_depth]
//   demo --image_path folder --ext png --load_weights_folder ~/weights_19 [--output_directory out]
import CommandLineKit

runMain {
    let options = try DemoOptions.parse(CommandLine.arguments.dropFirst())
    try DepthDemo(options: options).run()
}
