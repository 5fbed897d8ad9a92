import ArrayIO
import Foundation
import Networks
import ParityWeights
import TensorCore
import XCTest

/// torchvision ImageNet weights → our encoders, with a synthetic torchvision-layout checkpoint
/// (formula values, salt "torchvision-test") written by our own writer into a fake cache folder.
final class PretrainedResNetTests: XCTestCase {
    let salt = "torchvision-test"

    /// A torchvision `resnet18()` state dict: our encoder's keys without the `encoder.` prefix.
    func torchvisionStateDict() -> StateDict {
        let encoder = ResnetEncoder(depth: .resnet18)
        var dict = StateDict()
        for entry in encoder.stateEntries() {
            let key = String(entry.key.dropFirst("encoder.".count))
            dict.tensors.append((key, FormulaWeights.array(key: key, shape: entry.value.shape, salt: salt)))
        }
        return dict
    }

    func testLocatesTheCacheAndMapsKeys() throws {
        let home = try temporaryFolder("torchhome")
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["TORCH_HOME": home.path, "HOME": home.appendingPathComponent("nohome").path]
        // Absent: the error names the exact file and where it goes.
        XCTAssertThrowsError(try PretrainedResNet.locate(.resnet18, environment: environment)) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("resnet18-f37072fd.pth") && text.contains(home.path + "/hub/checkpoints"), text)
        }
        let checkpoints = home.appendingPathComponent("hub/checkpoints")
        try FileManager.default.createDirectory(at: checkpoints, withIntermediateDirectories: true)
        // A V2 file is never used.
        try Data([0]).write(to: checkpoints.appendingPathComponent("resnet50-11ad3fa6.pth"))
        XCTAssertThrowsError(try PretrainedResNet.locate(.resnet50, environment: environment))

        let file = checkpoints.appendingPathComponent("resnet18-f37072fd.pth")
        try CheckpointFile.write(torchvisionStateDict(), to: file)
        XCTAssertEqual(try PretrainedResNet.locate(.resnet18, environment: environment), file)

        let stateDict = try CheckpointFile.read(file)
        let encoder = ResnetEncoder(depth: .resnet18)
        try PretrainedResNet.load(stateDict, into: encoder, file: file.path)
        for entry in encoder.stateEntries() where !entry.key.hasSuffix("num_batches_tracked") {
            let key = String(entry.key.dropFirst("encoder.".count))
            XCTAssertEqual(entry.value.scalars(), FormulaWeights.values(key: key, shape: entry.value.shape, salt: salt), key)
        }

        // Pose encoder (2 images): conv1 = cat([w, w], 1) / 2, everything else unchanged.
        let poseEncoder = ResnetEncoder(depth: .resnet18, inputImages: 2)
        try PretrainedResNet.load(stateDict, into: poseEncoder, file: file.path)
        let w = FormulaWeights.values(key: "conv1.weight", shape: [64, 3, 7, 7], salt: salt)
        let conv1 = poseEncoder.stateDict()["encoder.conv1.weight"]!
        XCTAssertEqual(conv1.shape, [64, 6, 7, 7])
        let values = conv1.scalars()
        for o in 0..<64 {
            for c in 0..<6 {
                for k in 0..<49 { XCTAssertEqual(values[(o * 6 + c) * 49 + k], w[(o * 3 + c % 3) * 49 + k] / 2) }
            }
        }
        XCTAssertEqual(poseEncoder.stateDict()["encoder.layer3.1.bn2.running_var"]!.scalars(),
                       FormulaWeights.values(key: "layer3.1.bn2.running_var", shape: [256], salt: salt))

        // A wrong-depth file fails strictly, naming a key.
        let resnet34 = ResnetEncoder(depth: .resnet34)
        XCTAssertThrowsError(try PretrainedResNet.load(stateDict, into: resnet34, file: file.path)) { error in
            guard case .missingKeys(let name, _)? = error as? CheckpointError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, file.path)
        }
    }
}
