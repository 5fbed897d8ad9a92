import CommandLineKit
import Foundation
import Monodepth2

/// test_simple.py: load encoder.pth (+ its trained height/width) and depth.pth, then for each image:
/// RGB, Pillow-exact LANCZOS resize to the trained size, predict ("disp", 0), bilinear resize to the
/// image size for the magma picture, save the scaled disparity (or ×5.4 metric depth) as .npy.
struct DepthDemo {
    let options: DemoOptions

    func run() throws {
        guard options.minDepth > 0, options.minDepth < options.maxDepth else {
            throw ToolFailure("--min_depth \(options.minDepth) and --max_depth \(options.maxDepth): min_depth must be positive and below max_depth")
        }
        let (folder, displayPath, displayName) = try weightsFolder()
        if options.predictMetricDepth && !displayName.contains("stereo") {
            print("Warning: The --pred_metric_depth flag only makes sense for stereo-trained KITTI models. "
                  + "For mono-trained models, output depths will not in metric space.")
        }
        print("-> Loading model from  \(displayPath)")
        print("   Loading pretrained encoder")
        let model: DepthModel
        do {
            model = try DepthModel(weightsFolder: folder, minDepth: options.minDepth, maxDepth: options.maxDepth)
        } catch {
            throw ToolFailure(error.description)
        }
        print("   Loading pretrained decoder")

        var intrinsics: CameraIntrinsics?
        if let path = options.intrinsicsPath {
            do { intrinsics = try CameraIntrinsics(contentsOf: URL(fileURLWithPath: path)) } catch { throw ToolFailure(error.description) }
        }
        let (paths, outputDirectory) = try inputImages()
        print("-> Predicting on \(paths.count) test images")
        let isFolder = paths.count > 1
        let progress = isFolder ? Progress(total: paths.count, label: "predicting") : nil
        // A folder (say, the frames of a video) goes on past a bad image: each failure is reported
        // with its file as it happens, and the run exits non-zero at the end.
        var failures: [String] = []
        var predicted = 0
        var seconds = 0.0
        for (index, path) in paths.enumerated() {
            defer { progress?.advance() }
            if path.hasSuffix("_disp.jpg") { continue }  // don't predict on a disparity picture
            let start = Progress.monotonicSeconds()
            let written: (picture: URL, array: URL, cloud: URL?)
            do {
                written = try predict(URL(fileURLWithPath: path), model: model, outputDirectory: outputDirectory,
                                      intrinsics: intrinsics)
            } catch {
                guard isFolder else { throw error }
                failures.append("\(error)")
                FileHandle.standardError.write(Data("   Failed on image \(index + 1) of \(paths.count): \(error)\n".utf8))
                continue
            }
            let elapsed = Progress.monotonicSeconds() - start
            predicted += 1
            seconds += elapsed
            print("   Processed \(index + 1) of \(paths.count) images - saved predictions to:")
            print("   - \(written.picture.path)")
            print("   - \(written.array.path)")
            if let cloud = written.cloud { print("   - \(cloud.path)") }
            if isFolder { print("   - in " + String(format: "%.1f", elapsed * 1000) + " ms") }
        }
        progress?.finish()
        if isFolder && predicted > 0 {
            print("-> \(predicted) images in " + String(format: "%.2f", seconds) + " s ("
                  + String(format: "%.1f", seconds * 1000 / Double(predicted)) + " ms per image, "
                  + String(format: "%.1f", Double(predicted) / seconds) + " images/s)")
        }
        guard failures.isEmpty else {
            throw ToolFailure("\(failures.count) of \(paths.count) images failed (the others were written); first: \(failures[0])")
        }
        print("-> Done!")
    }

    /// The weights folder, its path as given, and the name used for the stereo warning.
    func weightsFolder() throws -> (URL, String, String) {
        let manager = FileManager.default
        if let path = options.loadWeightsFolder {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ToolFailure("\(path): weights folder not found (it should hold encoder.pth and depth.pth)")
            }
            return (URL(fileURLWithPath: path), path, options.modelName ?? URL(fileURLWithPath: path).lastPathComponent)
        }
        guard let name = options.modelName else {
            throw ToolFailure("pass --model_name NAME (a folder under \(options.modelsDirectory)/) or --load_weights_folder FOLDER")
        }
        let path = (options.modelsDirectory as NSString).appendingPathComponent(name)
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ToolFailure("\(path): model folder not found. Nothing is downloaded: get \(name).zip from the "
                + "Monodepth2 README's model table and unzip it so that \(path)/encoder.pth and \(path)/depth.pth "
                + "exist (or pass --models_dir DIR, or --load_weights_folder FOLDER)")
        }
        return (URL(fileURLWithPath: path), path, name)
    }

    /// The image paths and where the outputs go (test_simple.py's rules; folder listings sorted).
    func inputImages() throws -> ([String], URL) {
        let manager = FileManager.default
        let path = options.imagePath
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ToolFailure("Can not find args.image_path: \(path)")
        }
        let paths: [String]
        let defaultOutput: URL
        if isDirectory.boolValue {
            let names = (try? manager.contentsOfDirectory(atPath: path)) ?? []
            paths = names.filter { $0.hasSuffix("." + options.ext) }.sorted()
                .map { URL(fileURLWithPath: path).appendingPathComponent($0).path }
            defaultOutput = URL(fileURLWithPath: path)
        } else {
            paths = [path]
            defaultOutput = URL(fileURLWithPath: path).deletingLastPathComponent()
        }
        guard let output = options.outputDirectory else { return (paths, defaultOutput) }
        let url = URL(fileURLWithPath: output)
        do {
            try manager.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw ToolFailure("\(output): cannot create the output directory (\(error.localizedDescription))")
        }
        return (paths, url)
    }

    /// One image: predict (`DepthModel`, the library's inference) and write `<stem>_disp.jpeg` and
    /// `<stem>_disp.npy` / `<stem>_depth.npy` (and `<stem>.ply` with --save_point_cloud).
    func predict(_ url: URL, model: DepthModel, outputDirectory: URL,
                 intrinsics: CameraIntrinsics?) throws -> (picture: URL, array: URL, cloud: URL?) {
        let prediction: DepthPrediction
        do { prediction = try model.predict(contentsOf: url) } catch { throw ToolFailure(error.description) }
        let stem = url.deletingPathExtension().lastPathComponent
        let arrayURL: URL
        let pictureURL = outputDirectory.appendingPathComponent("\(stem)_disp.jpeg")
        var cloudURL: URL?
        do {
            if options.predictMetricDepth {
                arrayURL = outputDirectory.appendingPathComponent("\(stem)_depth.npy")
                try prediction.metricDepth.writeNPY(to: arrayURL)
            } else {
                arrayURL = outputDirectory.appendingPathComponent("\(stem)_disp.npy")
                try prediction.disparity.writeNPY(to: arrayURL)
            }
            try prediction.disparityPicture().writeJPEG(to: pictureURL)  // Pillow's save defaults
            if options.savePointCloud {
                // Depth at the image's size: disp_to_depth of the upsampled disparity (×5.4 for metric).
                let scale: Float = options.predictMetricDepth ? DepthModel.stereoScaleFactor : 1
                let url = outputDirectory.appendingPathComponent("\(stem).ply")
                try prediction.pointCloud(intrinsics: intrinsics, scale: scale).writePLY(to: url)
                cloudURL = url
            }
        } catch {
            throw ToolFailure(error.description)
        }
        return (pictureURL, arrayURL, cloudURL)
    }
}
