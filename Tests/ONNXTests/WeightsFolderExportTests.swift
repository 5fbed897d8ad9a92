import ArrayIO
import Foundation
import Networks
import ONNX
import Options
import TestSupport
import XCTest

/// Weights folders as `export-onnx` reads them: the architecture inferred from the files, and a
/// truncated or mismatched folder refused with one line naming the file, writing nothing.
final class WeightsFolderExportTests: XCTestCase {
    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("md2-onnx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A weights folder of scratch networks (trained size 64×96).
    func writeFolder(_ pose: PoseNetworkConfiguration?, scales: [Int] = [0, 1, 2, 3], in root: URL, name: String) throws -> URL {
        let models = ONNXGraphTests.models(.resnet18, pose: pose, scales: scales)
        let url = root.appendingPathComponent(name)
        try WeightsFolder.write(models, metadata: EncoderMetadata(height: 64, width: 96, useStereo: false), optimizer: nil, to: url)
        return url
    }

    func testArchitectureIsReadFromTheFiles() throws {
        let root = try temporaryFolder()
        let cases: [(PoseNetworkConfiguration?, [Int])] = [
            (nil, [0, 1, 2, 3]), (.separatePairs, [0, 1, 2, 3]), (PoseNetworkConfiguration(type: .posecnn, inputFrames: 2), [0]),
            (PoseNetworkConfiguration(type: .shared, inputFrames: 3), [0, 1]),
        ]
        for (index, (pose, scales)) in cases.enumerated() {
            let url = try writeFolder(pose, scales: scales, in: root, name: "w\(index)")
            let loaded = try WeightsFolder(url).loadInferringArchitecture(pose: true)
            XCTAssertEqual(loaded.models.configuration, ModelSetConfiguration(resnetDepth: .resnet18, scales: scales, pose: pose))
            XCTAssertEqual(loaded.metadata, EncoderMetadata(height: 64, width: 96, useStereo: false))
            let depthOnly = try WeightsFolder(url).loadInferringArchitecture(pose: false)
            XCTAssertNil(depthOnly.models.configuration.pose)
        }
    }

    func testEveryResNetDepthIsRecognised() throws {
        for depth in ResNetDepth.allCases {
            let stateDict = ResnetEncoder(depth: depth).checkpointStateDict()
            XCTAssertEqual(try ResNetDepth(inferredFrom: stateDict, file: "encoder.pth"), depth)
        }
        XCTAssertThrowsError(try ResNetDepth(inferredFrom: StateDict(), file: "x/encoder.pth")) { error in
            XCTAssertTrue("\(error)".hasPrefix("x/encoder.pth: "), "\(error)")
        }
    }

    func testTruncatedAndMismatchedFoldersNameTheFile() throws {
        let root = try temporaryFolder()
        // Truncated depth.pth.
        let truncated = try writeFolder(nil, in: root, name: "truncated")
        let depthFile = truncated.appendingPathComponent("depth.pth")
        let bytes = try Data(contentsOf: depthFile)
        try bytes.prefix(bytes.count / 2).write(to: depthFile)
        XCTAssertThrowsError(try WeightsFolder(truncated).loadInferringArchitecture(pose: true)) { error in
            XCTAssertTrue("\(error)".contains(depthFile.path), "\(error)")
        }
        // A separate pose decoder without its pose encoder.
        let noPoseEncoder = try writeFolder(.separatePairs, in: root, name: "no-pose-encoder")
        try FileManager.default.removeItem(at: noPoseEncoder.appendingPathComponent("pose_encoder.pth"))
        XCTAssertThrowsError(try WeightsFolder(noPoseEncoder).loadInferringArchitecture(pose: true)) { error in
            XCTAssertTrue("\(error)".contains(noPoseEncoder.appendingPathComponent("pose.pth").path), "\(error)")
        }
        XCTAssertNoThrow(try WeightsFolder(noPoseEncoder).loadInferringArchitecture(pose: false))
        // A ResNet-18 encoder beside a ResNet-50 depth decoder.
        let mixed = try writeFolder(nil, in: root, name: "mixed")
        let big = ONNXGraphTests.models(.resnet50, pose: nil)
        try big.depth.checkpointStateDict().write(to: mixed.appendingPathComponent("depth.pth"))
        XCTAssertThrowsError(try WeightsFolder(mixed).loadInferringArchitecture(pose: true)) { error in
            XCTAssertTrue("\(error)".contains(mixed.appendingPathComponent("depth.pth").path), "\(error)")
        }
        // Not a network at all.
        let wrong = try writeFolder(nil, in: root, name: "wrong")
        try FileManager.default.copyItem(at: wrong.appendingPathComponent("depth.pth"), to: wrong.appendingPathComponent("pose.pth"))
        XCTAssertThrowsError(try WeightsFolder(wrong).loadInferringArchitecture(pose: true)) { error in
            XCTAssertEqual(error as? CheckpointError, .unrecognisedNetwork(
                file: wrong.appendingPathComponent("pose.pth").path,
                problem: "neither a PoseDecoder (net.0 … net.3) nor a PoseCNN (pose_conv, net.0 … net.6)"))
        }
    }

    /// The tool as a process: a good folder gives both files; a truncated one exits 1 with one line
    /// naming the file and writes nothing.
    func testExportToolWritesWholeModelsOrNothing() throws {
        let tool = try Executables.url(named: "export-onnx")
        let root = try temporaryFolder()
        let folder = try writeFolder(PoseNetworkConfiguration(type: .posecnn, inputFrames: 2), in: root, name: "good")
        let out = root.appendingPathComponent("out")
        let good = try ChildProcess.run(tool, ["--load_weights_folder", folder.path, "--output_directory", out.path], limit: 120)
        XCTAssertEqual(good.status, 0, good.error)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted(), ["depth.onnx", "pose.onnx"])
        let depth = try ReadBackModel(Array(try Data(contentsOf: out.appendingPathComponent("depth.onnx"))))
        XCTAssertEqual(depth.inputs.first?.dims, ["N", "3", "64", "96"])
        let pose = try ReadBackModel(Array(try Data(contentsOf: out.appendingPathComponent("pose.onnx"))))
        XCTAssertEqual(pose.metadata["pose_model_type"], "posecnn")

        let poseFile = folder.appendingPathComponent("pose.pth")
        let bytes = try Data(contentsOf: poseFile)
        try bytes.prefix(bytes.count - 100).write(to: poseFile)
        let badOut = root.appendingPathComponent("bad-out")
        let bad = try ChildProcess.run(tool, ["--load_weights_folder", folder.path, "--output_directory", badOut.path], limit: 120)
        XCTAssertEqual(bad.status, 1)
        let lines = bad.error.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, bad.error)
        XCTAssertTrue(bad.error.contains(poseFile.path), bad.error)
        XCTAssertFalse(FileManager.default.fileExists(atPath: badOut.path), "something was written")

        let size = try ChildProcess.run(tool, ["--load_weights_folder", folder.path, "--depth_only", "--height", "100"], limit: 120)
        XCTAssertEqual(size.status, 1)
        XCTAssertTrue(size.error.contains("multiples of 32"), size.error)
    }
}
