import ArrayIO
import Foundation
import ImageIO
import Layers
import Networks
import TensorCore
import TestSupport
import XCTest

/// The `demo` executable end to end (the built binary, run as a process): the reference test image
/// with the reference checkpoints (one 640x192 forward), a folder run with a small saved model, and
/// the one-line errors.
final class DemoTests: XCTestCase {
    struct Outcome {
        var status: Int32
        var output: String
        var error: String
    }

    func runDemo(_ arguments: [String], in directory: URL? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = try Executables.url(named: "demo")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile(), error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
                       error: String(decoding: error, as: UTF8.self))
    }

    func testReferenceImageWithReferenceCheckpoints() throws {
        let weights = try Fixtures.reference("torch/checkpoints", containing: ["encoder.pth", "depth.pth"]).path
        let image = try Fixtures.reference("assets/test_image.jpg").path
        let disp = try forwardFixture("disp_scale0").scalars()
        let reference = try forwardFixture("disp_source_size")
        let out = try temporaryFolder("demo")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try runDemo(["--image_path", image,
                                  "--load_weights_folder", weights, "--output_directory", out.path, "--no_cuda"])
        XCTAssertEqual(result.status, 0, result.error)
        let jpeg = out.appendingPathComponent("test_image_disp.jpeg"), npy = out.appendingPathComponent("test_image_disp.npy")
        XCTAssertEqual(result.output.split(separator: "\n").map(String.init), [
            "-> Loading model from  \(weights)", "   Loading pretrained encoder", "   Loading pretrained decoder",
            "-> Predicting on 1 test images", "   Processed 1 of 1 images - saved predictions to:",
            "   - \(jpeg.path)", "   - \(npy.path)", "-> Done!"])

        // README: test_image_disp.npy = 0.01 + (10 − 0.01)·disp_scale0, max abs 1e-4.
        let array = try NPY.read(contentsOf: npy)
        XCTAssertEqual(array.elementType, .float32)
        XCTAssertEqual(array.shape, [1, 1, 192, 640])
        let expected = disp.map { Float(0.01) + Float(9.99) * $0 }
        let c = compare(array.floatValues(), expected)
        reportComparison("demo npy", c)
        XCTAssertLessThanOrEqual(c.maxAbsoluteError, 1e-4, "\(c)")

        let picture = try JPEG.read(contentsOf: jpeg)
        XCTAssertEqual([picture.width, picture.height, picture.channels], [638, 235, 3])
        // The same magma recipe applied to the REFERENCE disparity at source size and saved the same
        // way (quality 75, 4:2:0) decodes to nearly the same picture (a few pixels may change colour
        // index where our disparity differs by ~1e-6).
        let colours = Colormap.magma.colorizeDisparity(FloatMap(width: 638, height: 235, values: reference.scalars()))
        let expectedPicture = try JPEG.decode(JPEG.encode(colours, quality: 75, subsampling: .s420))
        let meanError = zip(picture.pixels, expectedPicture.pixels).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) }
            / Double(colours.pixels.count)
        XCTAssertLessThan(meanError, 0.05, "mean |demo picture − reference picture| per sample")
    }

    /// A folder run (JPEG, PNG, a skipped `_disp.jpg`, another extension ignored), metric depth, with
    /// a small saved model (trained size 96x64) — compared with the same pipeline run in-process.
    func testFolderRunWithMetricDepth() throws {
        let root = try temporaryFolder("demo-folder")
        defer { try? FileManager.default.removeItem(at: root) }
        let modelFolder = WeightsFolder(root.appendingPathComponent("models/small_stereo_96x64"))
        try saveSmallModel(at: modelFolder.url, useStereo: true)
        let encoder = FormulaNetworks.encoder(), decoder = FormulaNetworks.depthDecoder()

        let images = root.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        var rgb = Image(width: 50, height: 30, channels: 3)
        for i in 0..<rgb.pixels.count { rgb.pixels[i] = UInt8((i * 37 + i / 150 * 11) % 256) }
        try JPEG.write(rgb, to: images.appendingPathComponent("a.jpg"), quality: 90)
        try JPEG.write(rgb, to: images.appendingPathComponent("a_disp.jpg"), quality: 90)  // skipped
        try PNG.write(rgb, to: images.appendingPathComponent("b.png"))
        try Data([1, 2, 3]).write(to: images.appendingPathComponent("notes.txt"))

        // Folder, default --ext jpg: a.jpg and a_disp.jpg are listed (2 images), a_disp.jpg skipped.
        let run = try runDemo(["--image_path", "images", "--model_name", "small_stereo_96x64", "--pred_metric_depth"], in: root)
        XCTAssertEqual(run.status, 0, run.error)
        XCTAssertFalse(run.output.contains("Warning"), "a stereo model name gives no metric-depth warning")
        XCTAssertTrue(run.output.hasPrefix("-> Loading model from  models/small_stereo_96x64\n"), run.output)
        XCTAssertTrue(run.output.contains("-> Predicting on 2 test images\n   Processed 1 of 2 images"), run.output)
        XCTAssertFalse(run.output.contains("Processed 2 of 2"), run.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: images.appendingPathComponent("a_disp_disp.jpeg").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: images.appendingPathComponent("b_depth.npy").path))
        let jpg = try NPY.read(contentsOf: images.appendingPathComponent("a_depth.npy"))
        XCTAssertEqual(jpg.shape, [1, 1, 64, 96])
        let picture = try JPEG.read(contentsOf: images.appendingPathComponent("a_disp.jpeg"))
        XCTAssertEqual([picture.width, picture.height, picture.channels], [50, 30, 3])

        // A single PNG with a model name without "stereo": the warning, and ×5.4 depth exactly as the
        // library pipeline computes it (PNG is lossless, so the input is known exactly).
        try FileManager.default.moveItem(at: modelFolder.url, to: root.appendingPathComponent("models/small_mono"))
        let mono = try runDemo(["--image_path", "images/b.png", "--model_name", "small_mono", "--pred_metric_depth"], in: root)
        XCTAssertEqual(mono.status, 0, mono.error)
        XCTAssertTrue(mono.output.hasPrefix("Warning: The --pred_metric_depth flag only makes sense"), mono.output)
        let predictor = DepthInference(encoder: encoder, decoder: decoder)
        let input = rgb.resized(width: 96, height: 64, filter: .lanczos)
        var values = [Float](repeating: 0, count: 3 * 96 * 64)
        for i in 0..<(96 * 64) { for c in 0..<3 { values[c * 96 * 64 + i] = Float(input.pixels[3 * i + c]) / 255 } }
        let disparity = predictor(Tensor(shape: [1, 3, 64, 96], scalars: values)).disparity(scale: 0)
        let metric = (5.4 * dispToDepth(disparity, minDepth: 0.1, maxDepth: 100).depth).scalars()
        let png = try NPY.read(contentsOf: images.appendingPathComponent("b_depth.npy"))
        XCTAssertEqual(png.shape, [1, 1, 64, 96])
        XCTAssertEqual(png.floatValues(), metric)
        let pngPicture = try JPEG.read(contentsOf: images.appendingPathComponent("b_disp.jpeg"))
        XCTAssertEqual([pngPicture.width, pngPicture.height], [50, 30])
    }

    /// The formula-weight encoder and depth decoder saved as a 96x64 weights folder.
    func saveSmallModel(at url: URL, useStereo: Bool) throws {
        let folder = WeightsFolder(url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let metadata = EncoderMetadata(height: 64, width: 96, useStereo: useStereo)
        try CheckpointFile.write(FormulaNetworks.encoder().checkpointStateDict(extras: metadata.extras), to: folder.fileURL(.encoder))
        try CheckpointFile.write(FormulaNetworks.depthDecoder().checkpointStateDict(), to: folder.fileURL(.depth))
    }

    func testPredictedPointCloudOpensWithAPointPerPixelAndTheGivenIntrinsics() throws {
        let root = try temporaryFolder("demo-cloud")
        defer { try? FileManager.default.removeItem(at: root) }
        try saveSmallModel(at: root.appendingPathComponent("small_stereo_96x64"), useStereo: true)
        var rgb = Image(width: 50, height: 30, channels: 3)
        for i in 0..<rgb.pixels.count { rgb.pixels[i] = UInt8((i * 37 + i / 150 * 11) % 256) }
        try PNG.write(rgb, to: root.appendingPathComponent("frame.png"))
        try "60 0 20\n0 40 12\n0 0 1\n".write(to: root.appendingPathComponent("cam.txt"), atomically: true, encoding: .utf8)

        let run = try runDemo(["--image_path", "frame.png", "--load_weights_folder", "small_stereo_96x64", "--pred_metric_depth",
                               "--save_point_cloud", "--intrinsics", "cam.txt"], in: root)
        XCTAssertEqual(run.status, 0, run.error)
        // Read back by the PLY reader: one vertex per pixel (predicted depths are positive), the
        // pixels' colours (PNG is lossless), and x, y from z through the given K.
        let cloud = try PLY.read(contentsOf: root.appendingPathComponent("frame.ply"))
        XCTAssertEqual(cloud.points.count, 50 * 30)
        XCTAssertEqual(cloud.colors.map { [$0.x, $0.y, $0.z] }.flatMap { $0 }, rgb.pixels)
        for (index, point) in cloud.points.enumerated() {
            let (u, v) = (Float(index % 50), Float(index / 50))
            XCTAssertGreaterThan(point.z, 0)
            XCTAssertEqual(point.x, (u - 20) / 60 * point.z, accuracy: 1e-5 * point.z)
            XCTAssertEqual(point.y, (v - 12) / 40 * point.z, accuracy: 1e-5 * point.z)
        }
    }

    func testFolderGoesOnPastABadImageAndFailsAtTheEnd() throws {
        let root = try temporaryFolder("demo-bad-frame")
        defer { try? FileManager.default.removeItem(at: root) }
        try saveSmallModel(at: root.appendingPathComponent("weights"), useStereo: false)
        let frames = root.appendingPathComponent("frames")
        try FileManager.default.createDirectory(at: frames, withIntermediateDirectories: true)
        var rgb = Image(width: 40, height: 24, channels: 3)
        for i in 0..<rgb.pixels.count { rgb.pixels[i] = UInt8((i * 13) % 256) }
        try JPEG.write(rgb, to: frames.appendingPathComponent("0001.jpg"), quality: 90)
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 1, 2]).write(to: frames.appendingPathComponent("0002.jpg"))  // truncated
        try JPEG.write(rgb, to: frames.appendingPathComponent("0003.jpg"), quality: 90)

        let run = try runDemo(["--image_path", "frames", "--load_weights_folder", "weights"], in: root)
        XCTAssertNotEqual(run.status, 0, "a bad frame makes the run fail at the end")
        XCTAssertTrue(run.output.contains("   Processed 1 of 3 images"), run.output)
        XCTAssertTrue(run.output.contains("   Processed 3 of 3 images"), run.output)
        XCTAssertFalse(run.output.contains("Processed 2 of 3"), run.output)
        XCTAssertTrue(run.output.contains("-> 2 images in "), run.output)
        XCTAssertTrue(run.output.contains(" ms per image, "), run.output)
        XCTAssertFalse(run.output.contains("-> Done!"), run.output)
        XCTAssertTrue(run.error.contains("Failed on image 2 of 3:") && run.error.contains("0002.jpg"), run.error)
        XCTAssertTrue(run.error.contains("1 of 3 images failed"), run.error)
        for name in ["0001_disp.jpeg", "0001_disp.npy", "0003_disp.jpeg", "0003_disp.npy"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: frames.appendingPathComponent(name).path), name)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: frames.appendingPathComponent("0002_disp.npy").path))
    }

    func testErrorsAreOneLineNamingTheFile() throws {
        let image = try Fixtures.reference("assets/test_image.jpg").path
        let root = try temporaryFolder("demo-errors")
        defer { try? FileManager.default.removeItem(at: root) }
        let weights = root.appendingPathComponent("weights")
        try saveSmallModel(at: weights, useStereo: false)

        let noModel = try runDemo(["--image_path", image, "--model_name", "mono_640x192"], in: root)
        XCTAssertEqual(noModel.status, 1)
        XCTAssertTrue(noModel.error.hasPrefix("error: models/mono_640x192: model folder not found"), noModel.error)
        XCTAssertEqual(noModel.error.split(separator: "\n").count, 1)

        let noFolder = try runDemo(["--image_path", image, "--load_weights_folder", "/nonexistent/weights"])
        XCTAssertEqual(noFolder.status, 1)
        XCTAssertTrue(noFolder.error.contains("/nonexistent/weights"), noFolder.error)

        // An unreadable image names the image.
        let bad = root.appendingPathComponent("broken.jpg")
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16]).write(to: bad)
        let broken = try runDemo(["--image_path", bad.path, "--load_weights_folder", weights.path])
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.error.hasPrefix("error: \(bad.path): "), broken.error)

        let missing = try runDemo(["--image_path", root.appendingPathComponent("none.jpg").path, "--load_weights_folder", weights.path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.error.contains("none.jpg"), missing.error)

        let usage = try runDemo(["--model_name", "x"])
        XCTAssertEqual(usage.status, 2, "missing --image_path is a usage error")
    }

    /// depth.pth holding the pose decoder (the reference checkpoints): strict loading names the file
    /// and a key with its shape, on one line.
    func testStrictLoadingErrorNamesFileAndKey() throws {
        let image = try Fixtures.reference("assets/test_image.jpg").path
        let reference = try Fixtures.reference("torch/checkpoints", containing: ["encoder.pth", "pose.pth"])
        let root = try temporaryFolder("demo-keys")
        defer { try? FileManager.default.removeItem(at: root) }
        let wrong = root.appendingPathComponent("wrong")
        try FileManager.default.createDirectory(at: wrong, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: wrong.appendingPathComponent("encoder.pth"),
                                                   withDestinationURL: reference.appendingPathComponent("encoder.pth"))
        try FileManager.default.createSymbolicLink(at: wrong.appendingPathComponent("depth.pth"),
                                                   withDestinationURL: reference.appendingPathComponent("pose.pth"))
        let keys = try runDemo(["--image_path", image, "--load_weights_folder", wrong.path])
        XCTAssertEqual(keys.status, 1)
        XCTAssertTrue(keys.error.hasPrefix("error: \(wrong.path)/depth.pth: missing 28 key(s)"), keys.error)
        XCTAssertTrue(keys.error.contains("decoder.0.conv.conv.weight [256, 512, 3, 3]"), keys.error)
        XCTAssertEqual(keys.error.split(separator: "\n").count, 1)
    }
}
