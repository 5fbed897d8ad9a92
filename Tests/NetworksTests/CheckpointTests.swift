import ArrayIO
import Foundation
import Networks
import ParityWeights
import TensorCore
import TestSupport
import XCTest

/// The checkpoint bridge: the reference checkpoints (legacy and zip) load bit for bit, strict loading
/// names file, key and shapes, model folders round-trip.
final class CheckpointTests: XCTestCase {
    /// ../shared/reference/torch/checkpoints with the three formula-weight checkpoints (59 MB, not carried).
    func referenceCheckpoints() throws -> WeightsFolder {
        WeightsFolder(try Fixtures.reference("torch/checkpoints", containing: ["encoder.pth", "depth.pth", "pose.pth"]))
    }

    /// Every entry of `module` equals the formula weights (salt md2-parity) bit for bit.
    func assertFormulaWeights(_ module: any Module, file: StaticString = #filePath, line: UInt = #line) {
        for entry in module.stateEntries() {
            if entry.key.hasSuffix("num_batches_tracked") {
                XCTAssertEqual(entry.value.int64s(), [0], entry.key, file: file, line: line)
                continue
            }
            let expected = FormulaWeights.values(key: entry.key, shape: entry.value.shape)
            let actual = entry.value.scalars()
            XCTAssertEqual(actual.map(\.bitPattern), expected.map(\.bitPattern), "\(entry.key) differs from the formula",
                           file: file, line: line)
        }
    }

    func testReferenceCheckpointsLoadExactly() throws {
        let referenceFolder = try referenceCheckpoints()
        let encoder = ResnetEncoder(depth: .resnet18)
        let metadata = try referenceFolder.load(encoder, as: .encoder).metadata  // legacy format with height/width/use_stereo
        XCTAssertEqual(metadata, EncoderMetadata(height: 192, width: 640, useStereo: true))
        assertFormulaWeights(encoder)

        let decoder = DepthDecoder(encoderChannels: encoder.featureChannels)
        try referenceFolder.load(decoder, as: .depth)  // legacy
        assertFormulaWeights(decoder)

        let pose = PoseDecoder(encoderChannels: encoder.featureChannels, inputFeatures: 1, frames: 2)
        try referenceFolder.load(pose, as: .pose)  // zip
        assertFormulaWeights(pose)
    }

    /// Key lists in PyTorch's order (= the reference files' order) and parameter counts.
    func testKeyListsAndParameterCounts() throws {
        let referenceFolder = try referenceCheckpoints()
        let encoder = FormulaNetworks.encoder()
        let encoderFile = try referenceFolder.read(.encoder)
        XCTAssertEqual(encoder.stateEntries().map(\.key), encoderFile.keys)
        XCTAssertEqual(encoderFile.keys.count, 122)
        XCTAssertEqual(encoder.parameters().reduce(0) { $0 + $1.value.count }, 11_689_512)
        XCTAssertEqual(encoder.stateDict()["encoder.fc.weight"]?.shape, [1000, 512])

        let decoder = FormulaNetworks.depthDecoder()
        let depthKeys = try referenceFolder.read(.depth).keys
        XCTAssertEqual(decoder.stateEntries().map(\.key), depthKeys)
        XCTAssertEqual(decoder.parameters().reduce(0) { $0 + $1.value.count }, 3_152_724)
        XCTAssertEqual(decoder.stateDict()["decoder.9.conv.conv.weight"]?.shape, [16, 16, 3, 3])
        XCTAssertEqual(decoder.stateDict()["decoder.10.conv.weight"]?.shape, [1, 16, 3, 3])
        XCTAssertEqual(decoder.stateDict()["decoder.13.conv.weight"]?.shape, [1, 128, 3, 3])

        let pose = FormulaNetworks.poseDecoder()
        let poseKeys = try referenceFolder.read(.pose).keys
        XCTAssertEqual(pose.stateEntries().map(\.key), poseKeys)
        XCTAssertEqual(pose.stateDict()["net.3.weight"]?.shape, [12, 256, 1, 1])

        let pose2 = FormulaNetworks.encoder(inputImages: 2)
        XCTAssertEqual(pose2.stateDict()["encoder.conv1.weight"]?.shape, [64, 6, 7, 7])
    }

    func testResNet50Layout() {
        let encoder = ResnetEncoder(depth: .resnet50)
        let shapes = encoder.stateDict().mapValues(\.shape)
        XCTAssertEqual(encoder.featureChannels, [64, 256, 512, 1024, 2048])
        XCTAssertEqual(shapes["encoder.layer1.0.conv1.weight"], [64, 64, 1, 1])
        XCTAssertEqual(shapes["encoder.layer1.0.conv3.weight"], [256, 64, 1, 1])
        XCTAssertEqual(shapes["encoder.layer1.0.downsample.0.weight"], [256, 64, 1, 1])
        XCTAssertEqual(shapes["encoder.layer2.0.conv2.weight"], [128, 128, 3, 3])
        XCTAssertEqual(shapes["encoder.layer2.0.downsample.0.weight"], [512, 256, 1, 1])
        XCTAssertEqual(shapes["encoder.layer4.2.bn3.running_var"], [2048])
        XCTAssertEqual(shapes["encoder.fc.weight"], [1000, 2048])
        XCTAssertNil(shapes["encoder.layer1.1.downsample.0.weight"])
        XCTAssertEqual(shapes.count, 320)  // torchvision resnet50 state_dict size
        XCTAssertEqual(encoder.parameters().reduce(0) { $0 + $1.value.count }, 25_557_032)
        let keys = encoder.stateEntries().map(\.key)
        XCTAssertEqual(Array(keys.prefix(7)), ["encoder.conv1.weight", "encoder.bn1.weight", "encoder.bn1.bias",
                                               "encoder.bn1.running_mean", "encoder.bn1.running_var",
                                               "encoder.bn1.num_batches_tracked", "encoder.layer1.0.conv1.weight"])
        XCTAssertEqual(Array(keys.suffix(2)), ["encoder.fc.weight", "encoder.fc.bias"])

        let decoder = DepthDecoder(encoderChannels: encoder.featureChannels)
        let d = decoder.stateDict().mapValues(\.shape)
        XCTAssertEqual(d["decoder.0.conv.conv.weight"], [256, 2048, 3, 3])
        XCTAssertEqual(d["decoder.1.conv.conv.weight"], [256, 1280, 3, 3])
        XCTAssertEqual(d["decoder.7.conv.conv.weight"], [32, 96, 3, 3])
    }

    /// Scratch initialisation: torchvision's rules, drawn from (and advancing) the caller's generator.
    func testScratchInitialisation() {
        var rng = RandomGenerator(seed: 5)
        let encoder = ResnetEncoder(depth: .resnet18, generator: &rng)
        let w = encoder.resnet.conv1.weight.value.scalars()
        let mean = w.reduce(0, +) / Float(w.count)
        let std = (w.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(w.count)).squareRoot()
        XCTAssertEqual(std, (2 / Float(64 * 49)).squareRoot(), accuracy: 0.01 * (2 / Float(64 * 49)).squareRoot() * 3)
        XCTAssertEqual(encoder.resnet.bn1.weight.value.scalars(), [Float](repeating: 1, count: 64))
        XCTAssertEqual(encoder.resnet.bn1.bias.value.scalars(), [Float](repeating: 0, count: 64))
        let fc = encoder.resnet.fc.weight.value.scalars()
        XCTAssertLessThanOrEqual(fc.map(abs).max()!, 1 / Float(512).squareRoot())
        let a = DepthDecoder(encoderChannels: encoder.featureChannels, generator: &rng)
        let b = DepthDecoder(encoderChannels: encoder.featureChannels, generator: &rng)
        let wa = a.dispconvs[0].conv.weight.value.scalars(), wb = b.dispconvs[0].conv.weight.value.scalars()
        XCTAssertNotEqual(wa, wb, "the generator advances between networks")
        XCTAssertLessThanOrEqual(wa.map(abs).max()!, 1 / Float(16 * 9).squareRoot())
    }

    func testStrictLoadErrorsNameFileKeyAndShapes() throws {
        let source = FormulaNetworks.depthDecoder()
        let target = DepthDecoder(encoderChannels: ResNetDepth.resnet18.featureChannels)
        let before = target.stateDict()["decoder.0.conv.conv.bias"]!.scalars()
        let good = source.checkpointStateDict()

        var missing = good
        missing.tensors.removeAll { $0.key == "decoder.3.conv.conv.weight" }
        XCTAssertThrowsError(try target.load(missing, file: "/x/depth.pth")) { error in
            XCTAssertEqual(error as? CheckpointError,
                           .missingKeys(file: "/x/depth.pth", keys: [.init("decoder.3.conv.conv.weight", [128, 256, 3, 3])]))
            let text = String(describing: error)
            XCTAssertTrue(text.contains("/x/depth.pth") && text.contains("decoder.3.conv.conv.weight") && text.contains("[128, 256, 3, 3]"), text)
        }

        var unexpected = good
        unexpected.tensors.append(("decoder.14.conv.weight", NDArray(shape: [1, 8], floats: [Float](repeating: 0, count: 8))))
        unexpected.extras.append(("epoch", .int(3)))
        XCTAssertThrowsError(try target.load(unexpected, file: "depth.pth")) { error in
            XCTAssertEqual(error as? CheckpointError,
                           .unexpectedKeys(file: "depth.pth", keys: [.init("decoder.14.conv.weight", [1, 8]), .init("epoch", [])]))
        }

        var wrongShape = good
        let index = wrongShape.tensors.firstIndex { $0.key == "decoder.5.conv.conv.weight" }!
        wrongShape.tensors[index].array = NDArray(shape: [64, 129, 3, 3], floats: [Float](repeating: 0, count: 64 * 129 * 9))
        XCTAssertThrowsError(try target.load(wrongShape, file: "depth.pth", mode: .tolerant)) { error in
            XCTAssertEqual(error as? CheckpointError,
                           .shapeMismatch(file: "depth.pth", key: "decoder.5.conv.conv.weight",
                                          modelShape: [64, 128, 3, 3], fileShape: [64, 129, 3, 3]))
            let text = String(describing: error)
            XCTAssertTrue(text.contains("[64, 129, 3, 3]") && text.contains("[64, 128, 3, 3]"), text)
        }

        var wrongType = good
        wrongType.tensors[0].array = NDArray(elementType: .int64, shape: wrongType.tensors[0].array.shape,
                                             bytes: [UInt8](repeating: 0, count: wrongType.tensors[0].array.count * 8))
        XCTAssertThrowsError(try target.load(wrongType, file: "depth.pth"))
        // Nothing was assigned by the failed loads.
        XCTAssertEqual(target.stateDict()["decoder.0.conv.conv.bias"]!.scalars(), before)

        // Tolerant (the trainer's load_model): unknown keys skipped, absent ones kept, all reported.
        let report = try target.load(unexpected, file: "depth.pth", mode: .tolerant)
        XCTAssertEqual(report.skippedKeys, ["decoder.14.conv.weight", "epoch"])
        XCTAssertEqual(report.missingKeys, [])
        let partial = try target.load(missing, file: "depth.pth", mode: .tolerant)
        XCTAssertEqual(partial.missingKeys, ["decoder.3.conv.conv.weight"])
        XCTAssertEqual(target.stateDict()["decoder.0.conv.conv.bias"]!.scalars(),
                       FormulaWeights.values(key: "decoder.0.conv.conv.bias", shape: [256]))
    }

    func testEncoderMetadataAndMissingBatchCounters() throws {
        let encoder = FormulaNetworks.encoder()
        var file = encoder.checkpointStateDict(extras: EncoderMetadata(height: 320, width: 1024, useStereo: false).extras)
        file.tensors.removeAll { $0.key.hasSuffix("num_batches_tracked") }  // checkpoints from torch < 0.4.1
        let target = ResnetEncoder(depth: .resnet18)
        try target.load(file, file: "encoder.pth", metadataKeys: EncoderMetadata.keys)
        XCTAssertEqual(try EncoderMetadata(file, file: "encoder.pth"), EncoderMetadata(height: 320, width: 1024, useStereo: false))
        // Without declaring the metadata keys they are unexpected.
        XCTAssertThrowsError(try target.load(file, file: "encoder.pth")) { error in
            guard case .unexpectedKeys(_, let keys)? = error as? CheckpointError else { return XCTFail("\(error)") }
            XCTAssertEqual(keys.map(\.key), ["height", "width", "use_stereo"])
        }
        var bad = file
        bad.extras[0].value = .string("192")
        XCTAssertThrowsError(try EncoderMetadata(bad, file: "encoder.pth"))
        XCTAssertNil(try EncoderMetadata(StateDict(), file: "encoder.pth"))
    }

    func testMissingAndCorruptFiles() throws {
        let folder = try temporaryFolder("missing")
        defer { try? FileManager.default.removeItem(at: folder) }
        let encoder = ResnetEncoder(depth: .resnet18)
        XCTAssertThrowsError(try WeightsFolder(folder).load(encoder, as: .encoder)) { error in
            guard case .missingFile(let file, let hint)? = error as? CheckpointError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, folder.appendingPathComponent("encoder.pth").path)
            XCTAssertTrue(hint.contains("encoder.pth"), hint)
        }
        try Data([1, 2, 3, 4, 5]).write(to: folder.appendingPathComponent("encoder.pth"))
        XCTAssertThrowsError(try WeightsFolder(folder).load(encoder, as: .encoder)) { error in
            guard case .unreadable(let problem)? = error as? CheckpointError else { return XCTFail("\(error)") }
            XCTAssertTrue(problem.file.hasSuffix("encoder.pth"))
        }
    }
}
