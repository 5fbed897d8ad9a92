import Foundation
import Monodepth2
import Monodepth2Training

// consumer-example WEIGHTS_FOLDER IMAGE OUTPUT_FOLDER [DEMO_DISP_NPY]
// Runs the README's "Use it as a library" example (between the markers below, verbatim) on IMAGE with
// the model in WEIGHTS_FOLDER, writing into OUTPUT_FOLDER; with DEMO_DISP_NPY, checks that the
// disparity equals that file (demo's output for the same image and model) bit for bit. Exit status:
// 0 when everything matches, 1 on a mismatch or an error (one line on stderr), 2 on a bad command line.

func fail(_ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data("consumer-example: \(message)\n".utf8))
    exit(status)
}

let arguments = CommandLine.arguments
guard arguments.count == 4 || arguments.count == 5 else {
    fail("usage: consumer-example WEIGHTS_FOLDER IMAGE OUTPUT_FOLDER [DEMO_DISP_NPY]", status: 2)
}
let weightsFolder = URL(fileURLWithPath: arguments[1])
let imageFile = URL(fileURLWithPath: arguments[2])
let outputFolder = URL(fileURLWithPath: arguments[3])

do {
    // README example begin
    let model = try DepthModel(weightsFolder: weightsFolder)     // encoder.pth + depth.pth
    let prediction = try model.predict(contentsOf: imageFile)    // JPEG or PNG, any size
    let disparity = prediction.disparity                         // at the model's size, as demo's .npy
    print("disparity \(disparity.width)x\(disparity.height), centre \(disparity[x: disparity.width / 2, y: disparity.height / 2])")
    try disparity.writeNPY(to: outputFolder.appendingPathComponent("test_image_disp.npy"))

    let depth = prediction.depthAtImageSize(scale: DepthModel.stereoScaleFactor)  // metres (stereo model)
    print("depth at the image centre: \(depth[x: depth.width / 2, y: depth.height / 2]) m")
    try prediction.disparityPicture().writeJPEG(to: outputFolder.appendingPathComponent("test_image_disp.jpeg"))
    let cloud = prediction.pointCloud(scale: DepthModel.stereoScaleFactor)       // KITTI's camera by default
    try cloud.writePLY(to: outputFolder.appendingPathComponent("test_image.ply"))

    let batch = model.predict([prediction.image, prediction.image])              // one forward pass
    print("batch of \(batch.count), \(cloud.points.count) points")
    // README example end

    if arguments.count == 5 {
        let expected = try DepthMap(npyContentsOf: URL(fileURLWithPath: arguments[4]))
        guard expected.width == disparity.width, expected.height == disparity.height else {
            fail("\(arguments[4]): \(expected.width)x\(expected.height), the library gave \(disparity.width)x\(disparity.height)")
        }
        let differing = zip(expected.values, disparity.values).filter { $0.bitPattern != $1.bitPattern }.count
        guard differing == 0 else { fail("\(arguments[4]): \(differing) of \(expected.values.count) values differ from the library's") }
        guard batch.allSatisfy({ $0.disparity == disparity }) else { fail("a batch's predictions differ from the single image's") }
        print("bit for bit equal to \(arguments[4]) (\(expected.values.count) values)")
    }
} catch {
    fail(error.description)
}

// The training product links and answers: `--help` is a typed error carrying train's usage text.
do {
    _ = try TrainingRun(arguments: ["--help"])
    fail("TrainingRun(arguments: [\"--help\"]) did not throw")
} catch {
    guard case .invalidArguments(let usage) = error, usage.contains("--data_path") else {
        fail("TrainingRun --help: unexpected \(error)")
    }
    print("training product: TrainingRun answers --help with train's usage (\(usage.split(separator: "\n").count) lines)")
}
