import ArrayIO
import Foundation
import Options
import TensorCore
import TestSupport
import XCTest
@testable import Networks

/// `--load_weights_folder` / `--models_to_load` (trainer.py `load_model`): the original's messages,
/// tolerant key matching with a report, Adam when present.
final class LoadModelTests: XCTestCase {
    private func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lm-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func values(_ module: any Module) -> [NDArray] { module.stateEntries().map { NDArray($0.value) } }

    /// Tiny networks named as the trainer's encoder and depth, and their stepped Adam.
    private func depthSet(salt: String) throws -> ([(name: ModelName, module: any Module)], Adam) {
        let networks: [(name: ModelName, module: any Module)] = [(.encoder, TinyCheckpointNet(salt: salt + "e")),
                                                                 (.depth, TinyCheckpointNet(salt: salt + "d"))]
        return (networks, steppedAdam(networks.flatMap { $0.module.parameters() }, salt: salt))
    }

    private func write(_ networks: [(name: ModelName, module: any Module)], _ adam: Adam?, to folder: URL) throws {
        try WeightsFolder.writeNetworks(networks, metadata: EncoderMetadata(height: 64, width: 96, useStereo: false),
                                        optimizer: adam, extraFiles: [], to: folder)
    }

    func testLoadsTheNamedNetworksAndAdam() throws {
        let (saved, savedAdam) = try depthSet(salt: "saved")
        let folder = temporaryDirectory()
        try write(saved, savedAdam, to: folder)
        let (fresh, freshAdam) = try depthSet(salt: "fresh")
        let depthBefore = values(fresh[1].module)
        var lines: [String] = []
        let report = try WeightsFolder.loadModel(from: folder.path, names: [.encoder], into: fresh, optimizer: freshAdam) {
            lines.append($0)
        }
        XCTAssertEqual(lines, ["loading model from folder \(folder.path)", "Loading encoder weights...", "Loading Adam weights"])
        XCTAssertEqual(values(fresh[0].module), values(saved[0].module))
        XCTAssertEqual(values(fresh[1].module), depthBefore)
        XCTAssertTrue(report.loadedOptimizer)
        XCTAssertEqual(report.path, folder.path)
        XCTAssertEqual(report.networks.map(\.name), [.encoder])
        XCTAssertEqual(report.networks.first?.report.skippedKeys, [])
        XCTAssertEqual(report.networks.first?.report.missingKeys, [])
        XCTAssertEqual(freshAdam.states[0]?.expAvg.scalars(), savedAdam.states[0]?.expAvg.scalars())
    }

    func testToleratesAndReportsKeyDifferencesAndMissingAdam() throws {
        let folder = temporaryDirectory()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (source, _) = try depthSet(salt: "file")
        var stateDict = source[1].module.checkpointStateDict()
        stateDict.tensors.removeAll { $0.key == "bn.running_mean" }
        stateDict.tensors.append(("head.weight", NDArray(shape: [2], floats: [1, 2])))
        try CheckpointFile.write(stateDict, to: folder.appendingPathComponent("depth.pth"))
        let (target, adam) = try depthSet(salt: "target")
        let depth = try XCTUnwrap(target[1].module as? TinyCheckpointNet)
        let meanBefore = NDArray(depth.bn.runningMean.value)
        var lines: [String] = []
        let report = try WeightsFolder.loadModel(from: folder.path, names: [.depth], into: target, optimizer: adam) { lines.append($0) }
        XCTAssertEqual(report.networks.first?.report.skippedKeys, ["head.weight"])
        XCTAssertEqual(report.networks.first?.report.missingKeys, ["bn.running_mean"])
        XCTAssertFalse(report.loadedOptimizer)
        XCTAssertEqual(lines, [
            "loading model from folder \(folder.path)", "Loading depth weights...",
            "  skipped 1 entries the network does not have: head.weight",
            "  1 entries of the network are not in the file and keep their values: bn.running_mean",
            "Cannot find Adam weights so Adam is randomly initialized",
        ])
        XCTAssertTrue(NDArray(depth.bn.runningMean.value) == meanBefore, "a key the file lacks keeps its value")
        XCTAssertTrue(NDArray(depth.conv.weight.value) == stateDict["conv.weight"], "a key the file has is loaded")
    }

    func testErrorsNameTheProblem() throws {
        let (target, adam) = try depthSet(salt: "t")
        let missing = temporaryDirectory().path
        XCTAssertThrowsError(try WeightsFolder.loadModel(from: missing, names: [.encoder], into: target, optimizer: adam) { _ in }) {
            XCTAssertEqual($0 as? CheckpointError, .missingFile(file: missing, hint: "--load_weights_folder must be a folder of .pth files (Cannot find folder \(missing))"))
        }
        let folder = temporaryDirectory()
        try write(target, adam, to: folder)
        var lines: [String] = []
        XCTAssertThrowsError(try WeightsFolder.loadModel(from: folder.path, names: [.pose], into: target, optimizer: adam) { lines.append($0) }) {
            XCTAssertEqual($0 as? OptionsError, .modelNotBuilt(.pose, built: [.encoder, .depth]))
        }
        XCTAssertEqual(lines, [], "nothing is printed before the error")
    }
}
