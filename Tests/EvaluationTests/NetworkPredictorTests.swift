import ArrayIO
import Evaluation
import Foundation
import KITTIData
import ImageIO
import Networks
import ParityWeights
import TestSupport
import XCTest

/// The model branch of evaluate on the reference networks (formula-weight checkpoints, salt
/// md2-parity): a KITTI raw / odometry layout is built in a temporary folder from the forward
/// fixture's 640x192 input (written losslessly as PNG under the .jpg names KITTI uses; the reader
/// goes by content), so the expected values are the PyTorch fixture's own outputs.
final class NetworkPredictorTests: XCTestCase {
    /// The reference checkpoints (formula weights, not carried: 59 MB).
    static func checkpoints() throws -> URL {
        try Fixtures.reference("torch/checkpoints", containing: ["encoder.pth", "depth.pth", "pose.pth"])
    }

    /// The forward fixture input as bytes (its floats are exactly byte / 255).
    static func inputImage(rolledRightBy shift: Int = 0) throws -> Image {
        let array = try Fixtures.npy("torch/forward/input_640x192.npy")
        let (height, width) = (array.shape[2], array.shape[3])
        let values = array.floatValues()
        var pixels = [UInt8](repeating: 0, count: height * width * 3)
        for c in 0..<3 {
            for y in 0..<height {
                for x in 0..<width {
                    let source = (x - shift + width) % width  // torch.roll(shifts=shift, dims=3)
                    pixels[(y * width + x) * 3 + c] = UInt8((values[(c * height + y) * width + source] * 255).rounded())
                }
            }
        }
        return Image(width: width, height: height, channels: 3, pixels: pixels)
    }

    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("md2-predictor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testDepthPredictorMatchesPyTorchDisparity() throws {
        let root = try temporaryFolder()
        let imageFolder = root.appendingPathComponent("2011_09_26/drive_sync/image_02/data")
        try FileManager.default.createDirectory(at: imageFolder, withIntermediateDirectories: true)
        try PNG.write(try Self.inputImage(), to: imageFolder.appendingPathComponent("0000000007.jpg"))

        var predictor = NetworkDisparityPredictor()
        let size = try predictor.load(weightsFolder: try Self.checkpoints(), numLayers: 18)
        XCTAssertEqual(size.width, 640)
        XCTAssertEqual(size.height, 192)
        let entries = [SplitEntry(folder: "2011_09_26/drive_sync", frameIndex: 7, side: "l", line: 1)]
        let result = try predictor.predictDisparities(entries: entries, dataPath: root, postProcess: false,
                                                      minDepth: 0.1, maxDepth: 100, progress: nil)
        guard case let .float32(stack) = result else { return XCTFail("expected float32 disparities") }
        XCTAssertEqual([stack.count, stack.height, stack.width], [1, 192, 640])
        // evaluate's scaled disparity = 0.01 + (10 - 0.01) * sigmoid output (disp_to_depth(d, 0.1, 100)).
        let reference = try Fixtures.npy("torch/forward/disp_scale0.npy").floatValues()
        let expected = reference.map { Float(0.01) + Float(9.99) * $0 }
        let comparison = compare(stack.values, expected)
        XCTAssertLessThanOrEqual(comparison.maxAbsoluteError, 1e-4, "\(comparison)")  // 10 x the 1e-5 disparity tolerance

        // Post-processing runs both passes and returns float64 maps of the same shape.
        let processed = try predictor.predictDisparities(entries: entries, dataPath: root, postProcess: true,
                                                         minDepth: 0.1, maxDepth: 100, progress: nil)
        guard case let .float64(blended) = processed else { return XCTFail("expected float64 after post-processing") }
        XCTAssertEqual([blended.count, blended.height, blended.width], [1, 192, 640])
        // Away from the 5% edge ramps the blend is the mean of the two passes, close to the plain one.
        XCTAssertLessThan(abs(Float(blended.values[100 * 640 + 320]) - stack.values[100 * 640 + 320]), 1.0)
    }

    func testMissingImageNamesTheFile() throws {
        let root = try temporaryFolder()
        var predictor = NetworkDisparityPredictor()
        _ = try predictor.load(weightsFolder: try Self.checkpoints(), numLayers: 18)
        let entries = [SplitEntry(folder: "2011_09_26/none", frameIndex: 3, side: "r", line: 1)]
        XCTAssertThrowsError(try predictor.predictDisparities(entries: entries, dataPath: root, postProcess: false,
                                                              minDepth: 0.1, maxDepth: 100, progress: nil)) { error in
            XCTAssertTrue("\(error)".contains("image_03/data/0000000003.jpg"), "\(error)")
        }
    }

    func testMissingWeightsFolderNamesTheFile() {
        var predictor = NetworkDisparityPredictor()
        XCTAssertThrowsError(try predictor.load(weightsFolder: URL(fileURLWithPath: "/nonexistent/weights"), numLayers: 18)) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/weights/encoder.pth"), "\(error)")
        }
    }

    func testPosePredictorMatchesPyTorchTransform() throws {
        // pose_encoder.pth is not shipped (47 MB): write it from the formula weights.
        let checkpoints = try Fixtures.reference("torch/checkpoints", containing: ["pose.pth"])
        let weights = try temporaryFolder()
        for name in ["pose.pth"] {
            try FileManager.default.copyItem(at: checkpoints.appendingPathComponent(name), to: weights.appendingPathComponent(name))
        }
        try PoseEncoderFixture.write(to: weights.appendingPathComponent("pose_encoder.pth"))

        let root = try temporaryFolder()
        let sequence = root.appendingPathComponent("sequences/09/image_2")
        try FileManager.default.createDirectory(at: sequence, withIntermediateDirectories: true)
        try PNG.write(try Self.inputImage(), to: sequence.appendingPathComponent("000004.jpg"))
        try PNG.write(try Self.inputImage(rolledRightBy: 8), to: sequence.appendingPathComponent("000005.jpg"))

        var predictor = NetworkPosePredictor()
        try predictor.load(weightsFolder: weights, numLayers: 18)
        let entries = [SplitEntry(folder: "9", frameIndex: 4, side: "l", line: 1)]
        let poses = try predictor.predictPoses(entries: entries, dataPath: root, height: 192, width: 640,
                                               batchSize: 12, progress: nil)
        XCTAssertEqual(poses.count, 1)
        let expected = try Fixtures.npy("torch/forward/pose_T_invert0.npy").floatValues()
        XCTAssertEqual(expected.count, 16)
        let comparison = compare(poses[0].map { Float($0) }, expected)
        XCTAssertLessThanOrEqual(comparison.maxAbsoluteError, 1e-6, "\(comparison)")
    }
}

/// The formula-weight pose encoder (ResnetEncoder(18, num_input_images=2), salt md2-parity),
/// saved as pose_encoder.pth like the trainer saves it.
enum PoseEncoderFixture {
    static func write(to url: URL) throws {
        let encoder = ResnetEncoder(depth: .resnet18, inputImages: 2)
        FormulaWeights.fill(encoder)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try CheckpointFile.write(encoder.checkpointStateDict(), to: url)
    }
}
