import ArrayIO
import CommandLineKit
import Foundation
import ImageIO
import KITTIData
import Layers
import Networks
import TensorCore

/// A problem the demo reports as one line (file and what is wrong), exiting with status 1.
struct DemoError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// test_simple.py: load encoder.pth (+ its trained height/width) and depth.pth, then for each image:
/// RGB, Pillow-exact LANCZOS resize to the trained size, predict ("disp", 0), bilinear resize to the
/// image size for the magma picture, save the scaled disparity (or ×5.4 metric depth) as .npy.
struct DepthDemo {
    /// evaluate_depth.py's STEREO_SCALE_FACTOR.
    static let stereoScaleFactor: Float = 5.4

    let options: DemoOptions

    func run() throws {
        guard options.minDepth > 0, options.minDepth < options.maxDepth else {
            throw DemoError("--min_depth \(options.minDepth) and --max_depth \(options.maxDepth): min_depth must be positive and below max_depth")
        }
        let (folder, displayPath, displayName) = try weightsFolder()
        if options.predictMetricDepth && !displayName.contains("stereo") {
            print("Warning: The --pred_metric_depth flag only makes sense for stereo-trained KITTI models. "
                  + "For mono-trained models, output depths will not in metric space.")
        }
        print("-> Loading model from  \(displayPath)")
        print("   Loading pretrained encoder")
        let models = MonodepthModels(configuration: .depth(), initialisation: .placeholder)
        guard let metadata = try folder.load(models.encoder, as: .encoder).metadata else {
            throw DemoError("\(folder.fileURL(.encoder).path): has no 'height' and 'width' entries (the size the model was trained at)")
        }
        guard metadata.height % 32 == 0, metadata.width % 32 == 0 else {
            throw DemoError("\(folder.fileURL(.encoder).path): trained size \(metadata.width)x\(metadata.height) is not a multiple of 32")
        }
        print("   Loading pretrained decoder")
        try folder.load(models.depth, as: .depth)
        let predictor = DepthInference(encoder: models.encoder, decoder: models.depth)

        var intrinsics: PinholeIntrinsics?
        if let path = options.intrinsicsPath {
            do { intrinsics = try PinholeIntrinsics(contentsOf: URL(fileURLWithPath: path)) } catch { throw DemoError("\(error)") }
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
                written = try predict(URL(fileURLWithPath: path), predictor: predictor, metadata: metadata,
                                      outputDirectory: outputDirectory, intrinsics: intrinsics)
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
            throw DemoError("\(failures.count) of \(paths.count) images failed (the others were written); first: \(failures[0])")
        }
        print("-> Done!")
    }

    /// The weights folder, its path as given, and the name used for the stereo warning.
    func weightsFolder() throws -> (WeightsFolder, String, String) {
        let manager = FileManager.default
        if let path = options.loadWeightsFolder {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw DemoError("\(path): weights folder not found (it should hold encoder.pth and depth.pth)")
            }
            return (WeightsFolder(URL(fileURLWithPath: path)), path, options.modelName ?? URL(fileURLWithPath: path).lastPathComponent)
        }
        guard let name = options.modelName else {
            throw DemoError("pass --model_name NAME (a folder under \(options.modelsDirectory)/) or --load_weights_folder FOLDER")
        }
        let path = (options.modelsDirectory as NSString).appendingPathComponent(name)
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DemoError("\(path): model folder not found. Nothing is downloaded: get \(name).zip from the "
                + "Monodepth2 README's model table and unzip it so that \(path)/encoder.pth and \(path)/depth.pth "
                + "exist (or pass --models_dir DIR, or --load_weights_folder FOLDER)")
        }
        return (WeightsFolder(URL(fileURLWithPath: path)), path, name)
    }

    /// The image paths and where the outputs go (test_simple.py's rules; folder listings sorted).
    func inputImages() throws -> ([String], URL) {
        let manager = FileManager.default
        let path = options.imagePath
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DemoError("Can not find args.image_path: \(path)")
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
            throw DemoError("\(output): cannot create the output directory (\(error.localizedDescription))")
        }
        return (paths, url)
    }

    /// One image: predict and write `<stem>_disp.jpeg` and `<stem>_disp.npy` / `<stem>_depth.npy`.
    func predict(_ url: URL, predictor: DepthInference, metadata: EncoderMetadata,
                 outputDirectory: URL, intrinsics: PinholeIntrinsics?) throws -> (picture: URL, array: URL, cloud: URL?) {
        let image: Image
        do { image = try ImageTensor.readRGB(url) } catch { throw DemoError(error.description) }
        let (width, height) = (image.width, image.height)
        let resized = image.resized(width: metadata.width, height: metadata.height, filter: .lanczos)
        let input = ImageTensor.batch([resized])
        let disparity = predictor(input).disparity(scale: 0)  // (1, 1, fh, fw)
        let full = resizeBilinear(disparity, height: height, width: width)

        let stem = url.deletingPathExtension().lastPathComponent
        let (scaled, depth) = dispToDepth(disparity, minDepth: options.minDepth, maxDepth: options.maxDepth)
        let arrayURL: URL
        let array: NDArray
        if options.predictMetricDepth {
            arrayURL = outputDirectory.appendingPathComponent("\(stem)_depth.npy")
            array = NDArray(DepthDemo.stereoScaleFactor * depth)
        } else {
            arrayURL = outputDirectory.appendingPathComponent("\(stem)_disp.npy")
            array = NDArray(scaled)
        }
        try NPY.write(array, to: arrayURL)
        let picture = Colormap.magma.colorizeDisparity(FloatMap(width: width, height: height, values: full.scalars()))
        let pictureURL = outputDirectory.appendingPathComponent("\(stem)_disp.jpeg")
        try JPEG.write(picture, to: pictureURL, quality: 75, subsampling: .s420)  // Pillow's save defaults
        guard options.savePointCloud else { return (pictureURL, arrayURL, nil) }
        // Depth at the image's size: disp_to_depth of the upsampled disparity (×5.4 for metric).
        let scale: Float = options.predictMetricDepth ? DepthDemo.stereoScaleFactor : 1
        let fullDepth = (scale * dispToDepth(full, minDepth: options.minDepth, maxDepth: options.maxDepth).depth).scalars()
        let cloud = PointCloud(depth: FloatMap(width: width, height: height, values: fullDepth), image: image,
                               intrinsics: intrinsics ?? .kitti(width: width, height: height))
        let cloudURL = outputDirectory.appendingPathComponent("\(stem).ply")
        do { try PLY.write(cloud, to: cloudURL) } catch { throw DemoError("\(error)") }
        return (pictureURL, arrayURL, cloudURL)
    }
}
