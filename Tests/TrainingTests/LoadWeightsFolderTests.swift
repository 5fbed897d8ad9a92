import ArrayIO
import Foundation
import Networks
import TensorCore
import XCTest
@testable import Training

/// `--load_weights_folder` / `--models_to_load`: the original's messages, tolerant key matching
/// with a report, Adam when present.
final class LoadWeightsFolderTests: XCTestCase {
    private func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lw-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func values(_ module: any Module) -> [NDArray] { module.stateEntries().map { NDArray($0.value) } }

    func testLoadsTheNamedNetworksAndAdam() throws {
        let saved = checkpointTestSnapshot()
        let folder = try WeightsFolders(logPath: temporaryDirectory()).save(saved, as: .epoch(0))
        let fresh = checkpointTestSnapshot(salt: "fresh")
        let depthBefore = values(fresh.models[1].module)
        var lines: [String] = []
        let report = try LoadWeightsFolder.load(folder.path, modelsToLoad: ["encoder"], models: fresh.models,
                                                optimizer: fresh.optimizer) { lines.append($0) }
        XCTAssertEqual(lines, ["loading model from folder \(folder.path)", "Loading encoder weights...", "Loading Adam weights"])
        XCTAssertEqual(values(fresh.models[0].module), values(saved.models[0].module))
        XCTAssertEqual(values(fresh.models[1].module), depthBefore)
        XCTAssertTrue(report.loadedOptimizer)
        XCTAssertEqual(report.models.map(\.name), ["encoder"])
        XCTAssertEqual(report.models.first?.report.skippedKeys, [])
        XCTAssertEqual(report.models.first?.report.missingKeys, [])
        XCTAssertEqual(fresh.optimizer.states[0]?.expAvg.scalars(), saved.optimizer.states[0]?.expAvg.scalars())
    }

    func testToleratesAndReportsKeyDifferencesAndMissingAdam() throws {
        let folder = temporaryDirectory()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var stateDict = CheckpointTestNet(salt: "file").checkpointStateDict()
        stateDict.tensors.removeAll { $0.key == "bn.running_mean" }
        stateDict.tensors.append(("head.weight", NDArray(shape: [2], floats: [1, 2])))
        try CheckpointFile.write(stateDict, to: folder.appendingPathComponent("depth.pth"))
        let target = checkpointTestSnapshot()
        let meanBefore = NDArray((target.models[1].module as! CheckpointTestNet).bn.runningMean.value)
        var lines: [String] = []
        let report = try LoadWeightsFolder.load(folder.path, modelsToLoad: ["depth"], models: target.models,
                                                optimizer: target.optimizer) { lines.append($0) }
        XCTAssertEqual(report.models.first?.report.skippedKeys, ["head.weight"])
        XCTAssertEqual(report.models.first?.report.missingKeys, ["bn.running_mean"])
        XCTAssertFalse(report.loadedOptimizer)
        XCTAssertEqual(lines, [
            "loading model from folder \(folder.path)", "Loading depth weights...",
            "  depth.pth: skipped 1 key(s) the network lacks (head.weight); 1 network key(s) not in the file (bn.running_mean)",
            "Cannot find Adam weights so Adam is randomly initialized",
        ])
        let depth = target.models[1].module as! CheckpointTestNet
        XCTAssertEqual(NDArray(depth.bn.runningMean.value), meanBefore)
        XCTAssertEqual(NDArray(depth.conv.weight.value), stateDict["conv.weight"])
    }

    func testErrorsNameTheProblem() throws {
        let target = checkpointTestSnapshot()
        let missing = temporaryDirectory().path
        XCTAssertThrowsError(try LoadWeightsFolder.load(missing, modelsToLoad: ["encoder"], models: target.models,
                                                        optimizer: target.optimizer) { _ in }) {
            XCTAssertEqual($0 as? TrainingCheckpointError, .loadFolderNotFound(path: missing))
        }
        let folder = try WeightsFolders(logPath: temporaryDirectory()).save(target, as: .epoch(0))
        XCTAssertThrowsError(try LoadWeightsFolder.load(folder.path, modelsToLoad: ["pose"], models: target.models,
                                                        optimizer: target.optimizer) { _ in }) {
            XCTAssertEqual("\($0)", "--models_to_load: this run has no 'pose' network (it has encoder, depth)")
        }
    }
}
