import Foundation
import Monodepth2
import TestSupport
import XCTest

/// The inference facade against the `demo` tool: the same numbers, bit for bit (demo runs on the
/// facade, and this checks the facade as a caller uses it), batches equal to single images, and
/// typed errors that name the file.
final class DepthModelTests: XCTestCase {
    func scratch(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("md2-library-\(name)-\(getpid())-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func runDemo(_ arguments: [String]) throws {
        let run = try ChildProcess.run(try Executables.url(named: "demo"), arguments)
        XCTAssertEqual(run.status, 0, run.error)
    }

    /// The README example on the test image with the reference checkpoints: `disparity` is demo's
    /// `_disp.npy`, `metricDepth` its `--pred_metric_depth` `_depth.npy`, the point cloud its `.ply`,
    /// the picture its `_disp.jpeg` (same bytes once encoded the same way).
    func testPredictionIsDemosOutputBitForBit() throws {
        let weights = try Fixtures.reference("torch/checkpoints", containing: ["encoder.pth", "depth.pth"])
        let image = try Fixtures.reference("assets/test_image.jpg")
        let out = try scratch("demo")
        defer { try? FileManager.default.removeItem(at: out) }
        try runDemo(["--image_path", image.path, "--load_weights_folder", weights.path, "--output_directory", out.path,
                     "--save_point_cloud"])
        let metric = out.appendingPathComponent("metric")
        try runDemo(["--image_path", image.path, "--load_weights_folder", weights.path, "--output_directory", metric.path,
                     "--pred_metric_depth"])

        let model = try DepthModel(weightsFolder: weights)
        XCTAssertEqual([model.inputWidth, model.inputHeight], [640, 192])
        let prediction = try model.predict(contentsOf: image)
        XCTAssertEqual([prediction.image.width, prediction.image.height], [638, 235])
        let demoDisparity = try DepthMap(npyContentsOf: out.appendingPathComponent("test_image_disp.npy"))
        XCTAssertEqual([demoDisparity.width, demoDisparity.height], [640, 192])
        XCTAssertEqual(prediction.disparity.values.map(\.bitPattern), demoDisparity.values.map(\.bitPattern))
        let demoDepth = try DepthMap(npyContentsOf: metric.appendingPathComponent("test_image_depth.npy"))
        XCTAssertEqual(prediction.metricDepth.values.map(\.bitPattern), demoDepth.values.map(\.bitPattern))

        // Written by the facade: the same file bytes as demo's.
        let ours = out.appendingPathComponent("ours_disp.npy")
        try prediction.disparity.writeNPY(to: ours)
        XCTAssertEqual(try Data(contentsOf: ours), try Data(contentsOf: out.appendingPathComponent("test_image_disp.npy")))
        let cloud = out.appendingPathComponent("ours.ply")
        try prediction.pointCloud().writePLY(to: cloud)
        XCTAssertEqual(try Data(contentsOf: cloud), try Data(contentsOf: out.appendingPathComponent("test_image.ply")))
        let picture = out.appendingPathComponent("ours.jpeg")
        try prediction.disparityPicture().writeJPEG(to: picture)
        XCTAssertEqual(try Data(contentsOf: picture), try Data(contentsOf: out.appendingPathComponent("test_image_disp.jpeg")))
    }

    /// A batch of images of different sizes gives each image's own prediction, bit for bit.
    func testBatchEqualsSingleImages() throws {
        let weights = try Fixtures.reference("torch/checkpoints", containing: ["encoder.pth", "depth.pth"])
        let model = try DepthModel(weightsFolder: weights)
        let photo = try RGBImage(contentsOf: try Fixtures.reference("assets/test_image.jpg"))
        var pixels = [UInt8](repeating: 0, count: 50 * 30 * 3)
        for i in pixels.indices { pixels[i] = UInt8((i * 37 + i / 150 * 11) % 256) }
        let pattern = try RGBImage(width: 50, height: 30, pixels: pixels)
        let batch = model.predict([photo, pattern])
        XCTAssertEqual(batch.count, 2)
        for (image, predicted) in zip([photo, pattern], batch) {
            let alone = model.predict(image)
            XCTAssertEqual(predicted.disparity.values.map(\.bitPattern), alone.disparity.values.map(\.bitPattern))
            XCTAssertEqual(predicted.depth, alone.depth)
            XCTAssertEqual([predicted.image.width, predicted.image.height], [image.width, image.height])
        }
        XCTAssertEqual(model.predict([]).count, 0)
        let depth = batch[1].depthAtImageSize()
        XCTAssertEqual([depth.width, depth.height], [50, 30])
        XCTAssertTrue(zip(batch[0].depth.values, batch[0].disparity.values).allSatisfy { $0 == 1 / $1 })
    }

    /// Bad input: typed errors naming the folder or file, nothing else.
    func testErrorsNameTheFile() throws {
        let root = try scratch("errors")
        defer { try? FileManager.default.removeItem(at: root) }
        let missing = root.appendingPathComponent("nothing")
        XCTAssertThrowsError(try DepthModel(weightsFolder: missing)) { error in
            XCTAssertEqual(error as? Monodepth2Error, .weightsFolderNotFound(path: missing.path))
        }
        XCTAssertThrowsError(try DepthModel(weightsFolder: root)) { error in
            guard case .checkpoint(let file, let problem)? = error as? Monodepth2Error else { return XCTFail("\(error)") }
            XCTAssertEqual(file, root.appendingPathComponent("encoder.pth").path)
            XCTAssertTrue(problem.hasPrefix(file), problem)
        }
        XCTAssertThrowsError(try DepthModel(weightsFolder: root, minDepth: 10, maxDepth: 1)) { error in
            guard case .invalidArgument? = error as? Monodepth2Error else { return XCTFail("\(error)") }
        }
        let notAnImage = root.appendingPathComponent("notes.jpg")
        try Data("hello".utf8).write(to: notAnImage)
        XCTAssertThrowsError(try RGBImage(contentsOf: notAnImage)) { error in
            guard let error = error as? Monodepth2Error, case .unreadableImage = error else { return XCTFail("\(error)") }
            XCTAssertEqual(error.file, notAnImage.path)
            XCTAssertTrue(error.description.contains(notAnImage.path), error.description)
        }
        XCTAssertThrowsError(try DepthMap(npyContentsOf: notAnImage)) { error in
            XCTAssertEqual((error as? Monodepth2Error)?.file, notAnImage.path)
        }
        XCTAssertThrowsError(try RGBImage(width: 2, height: 2, pixels: [0, 1, 2]))
        XCTAssertThrowsError(try DepthMap(width: 2, height: 2, values: [0]))
    }
}
