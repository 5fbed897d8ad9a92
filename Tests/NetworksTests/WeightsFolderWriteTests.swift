import ArrayIO
import Foundation
import Options
import ParityWeights
import TensorCore
import TestSupport
import XCTest
@testable import Networks

/// Writing weights folders: whole or nothing, never non-finite, read back bit for bit.
final class WeightsFolderWriteTests: XCTestCase {
    private func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wf-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func contents(_ url: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
    }

    private struct Snapshot {
        var networks: [(name: ModelName, module: any Module)]
        var optimizer: Adam
        init(salt: String = "a") {
            networks = [(.encoder, TinyCheckpointNet(salt: salt + "e")), (.depth, TinyCheckpointNet(salt: salt + "d"))]
            optimizer = steppedAdam(networks.flatMap { $0.module.parameters() }, salt: salt)
        }
        static let metadata = EncoderMetadata(height: 64, width: 96, useStereo: true)
        static let extra = WeightsFolder.ExtraFile(name: "state.json", contents: Data("{}\n".utf8))
        @discardableResult
        func write(to url: URL, afterEachFile: (String) throws(CheckpointError) -> Void = { _ in },
                   replacement: WeightsFolder.Replacement = .exchange,
                   afterReplacementStep: (WeightsFolder.ReplacementStep) -> Void = { _ in }) throws(CheckpointError) -> WeightsFolder {
            try WeightsFolder.writeNetworks(networks, metadata: Self.metadata, optimizer: optimizer, extraFiles: [Self.extra],
                                            to: url, afterEachFile: afterEachFile, replacement: replacement,
                                            afterReplacementStep: afterReplacementStep)
        }
    }

    func testWrittenFolderReadsBackBitForBit() throws {
        let models = temporaryDirectory()
        let saved = Snapshot()
        let folder = try saved.write(to: models.appendingPathComponent("weights_3"))
        XCTAssertEqual(contents(models), ["weights_3"])
        XCTAssertEqual(contents(folder.url), ["adam.pth", "depth.pth", "encoder.pth", "state.json"])
        let encoderFile = try folder.read(.encoder)
        XCTAssertEqual(encoderFile.extra("height"), .int(64))
        XCTAssertEqual(encoderFile.extra("width"), .int(96))
        XCTAssertEqual(encoderFile.extra("use_stereo"), .bool(true))
        XCTAssertNil(try folder.read(.depth).extra("height"))
        XCTAssertEqual(try Data(contentsOf: folder.url.appendingPathComponent("state.json")), Snapshot.extra.contents)

        let fresh = Snapshot(salt: "other")
        for (name, module) in fresh.networks {
            let loaded = try folder.load(module, as: name)
            XCTAssertEqual(loaded.metadata, name == .encoder ? Snapshot.metadata : nil)
        }
        try folder.loadOptimizer(fresh.optimizer)
        for (a, b) in zip(saved.networks, fresh.networks) {
            for (x, y) in zip(a.module.stateEntries(), b.module.stateEntries()) {
                XCTAssertEqual(x.key, y.key)
                XCTAssertEqual(NDArray(x.value), NDArray(y.value), x.key)
            }
        }
        XCTAssertEqual(fresh.optimizer.states.map { $0?.step }, saved.optimizer.states.map { $0?.step })
        XCTAssertNil(fresh.optimizer.states.last!)
        for (x, y) in zip(saved.optimizer.states, fresh.optimizer.states) {
            guard let x, let y else { continue }
            XCTAssertEqual(x.expAvg.scalars(), y.expAvg.scalars())
            XCTAssertEqual(x.expAvgSq.scalars(), y.expAvgSq.scalars())
        }
    }

    /// A failure after any file leaves neither the folder nor a temporary folder.
    func testFailureMidWriteLeavesNoFolder() throws {
        for failing in ["encoder.pth", "depth.pth", "adam.pth", "state.json"] {
            let models = temporaryDirectory()
            XCTAssertThrowsError(try Snapshot().write(to: models.appendingPathComponent("weights_0")) { (file: String) throws(CheckpointError) in
                if file == failing { throw .fileSystem(path: file, problem: "injected") }
            }) { error in
                XCTAssertEqual(error as? CheckpointError, .fileSystem(path: failing, problem: "injected"))
            }
            XCTAssertEqual(contents(models), [], "after failing at \(failing)")
        }
    }

    /// A killed save's hidden folder is removed by the next save once its process is gone.
    func testLeftoversOfDeadRunsAreRemoved() throws {
        let models = temporaryDirectory()
        let dead = models.appendingPathComponent(".weights_4.partial-2147483-abcdef12")
        let live = models.appendingPathComponent(".weights_4.partial-\(getpid() == 1 ? 2 : 1)-abcdef12")
        for url in [dead, live] { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        try Snapshot().write(to: models.appendingPathComponent("weights_5"))
        XCTAssertEqual(contents(models), [live.lastPathComponent, "weights_5"])
    }

    /// Replacing a folder: a failed write keeps the old one; a good one replaces it completely.
    func testReplacingAFolder() throws {
        let best = temporaryDirectory().appendingPathComponent("weights_best")
        try Snapshot().write(to: best)
        let second = Snapshot(salt: "b")
        XCTAssertThrowsError(try second.write(to: best) { (file: String) throws(CheckpointError) in
            if file == "adam.pth" { throw .fileSystem(path: file, problem: "injected") }
        })
        XCTAssertEqual(try WeightsFolder(best).read(.depth)["conv.weight"], NDArray(Snapshot().networks[1].module.stateEntries()[0].value))
        try second.write(to: best)
        XCTAssertEqual(contents(best.deletingLastPathComponent()), ["weights_best"])
        XCTAssertEqual(try WeightsFolder(best).read(.depth)["conv.weight"], NDArray(second.networks[1].module.stateEntries()[0].value))
    }

    /// `kill -9` at every step of replacing `weights_best` leaves at least one complete `weights_best`:
    /// the disk is copied at each step (what a kill there would leave), then the next run's clean-up
    /// runs on the copy (the writer counted as dead). With the atomic exchange the name holds a
    /// complete folder at every step even before clean-up; with the move-aside fallback (file systems
    /// without an exchange) the clean-up renames the old folder back.
    func testKillAtEveryStepOfAReplacementLeavesACompleteFolder() throws {
        let old = Snapshot(), new = Snapshot(salt: "b")
        func depthWeight(_ snapshot: Snapshot) -> NDArray { NDArray(snapshot.networks[1].module.stateEntries()[0].value) }
        for replacement in [WeightsFolder.Replacement.exchange, .moveAside] {
            let root = temporaryDirectory()
            let models = root.appendingPathComponent("models")
            let best = models.appendingPathComponent("weights_best")
            try old.write(to: best)
            var steps: [WeightsFolder.ReplacementStep] = []
            try new.write(to: best, replacement: replacement) { step in
                steps.append(step)
                let copy = root.appendingPathComponent("kill-at-\(step.rawValue)")
                do { try FileManager.default.copyItem(at: models, to: copy) } catch { XCTFail("\(error)") }
            }
            let expected: [WeightsFolder.ReplacementStep] = replacement == .exchange
                ? [.written, .exchanged, .oldRemoved] : [.written, .movedAside, .renamed, .oldRemoved]
            XCTAssertEqual(steps, expected, "\(replacement)")
            for step in steps {
                let copy = root.appendingPathComponent("kill-at-\(step.rawValue)")
                let name = "\(replacement) killed at \(step)"
                if replacement == .exchange || step != .movedAside {
                    XCTAssertTrue(contents(copy).contains("weights_best"), "\(name): \(contents(copy))")
                }
                WeightsFolder.removeLeftoversOfDeadRuns(in: copy) { _ in false }
                XCTAssertEqual(contents(copy), ["weights_best"], name)
                let folder = WeightsFolder(copy.appendingPathComponent("weights_best"))
                XCTAssertEqual(contents(folder.url), ["adam.pth", "depth.pth", "encoder.pth", "state.json"], name)
                let weight = try folder.read(.depth)["conv.weight"]
                let newIsInPlace = step != .written && step != .movedAside
                XCTAssertEqual(weight, depthWeight(newIsInPlace ? new : old), name)
                XCTAssertNoThrow(try folder.read(.encoder), name)
                XCTAssertNoThrow(try folder.loadOptimizer(Snapshot(salt: "c").optimizer), name)
            }
        }
    }

    func testNonFiniteValuesAreNeverSaved() throws {
        let models = temporaryDirectory()
        let target = models.appendingPathComponent("weights_5")
        let bad = Snapshot()
        let depth = try XCTUnwrap(bad.networks[1].module as? TinyCheckpointNet)
        var values = depth.bn.runningVariance.value.scalars()
        values[2] = .nan
        depth.bn.runningVariance.value = Tensor(shape: [4], scalars: values)
        XCTAssertThrowsError(try bad.write(to: target)) { error in
            XCTAssertEqual(error as? CheckpointError, .nonFinite(folder: target.path, file: "depth.pth", key: "bn.running_var"))
        }
        XCTAssertEqual(contents(models), [])

        let badAdam = Snapshot()
        var moment = try XCTUnwrap(badAdam.optimizer.states[1])
        var squares = moment.expAvgSq.scalars()
        squares[0] = .infinity
        moment.expAvgSq = Tensor(shape: moment.expAvgSq.shape, scalars: squares)
        badAdam.optimizer.states[1] = moment
        XCTAssertThrowsError(try badAdam.write(to: target)) { error in
            XCTAssertEqual(error as? CheckpointError, .nonFinite(folder: target.path, file: "adam.pth", key: "state.1.exp_avg_sq"))
        }
        XCTAssertEqual(contents(models), [])
    }

    /// A model set writes every network, or the chosen ones, and loads back strictly.
    func testModelSetRoundTrip() throws {
        let url = temporaryDirectory()
        let configuration = ModelSetConfiguration(pose: PoseNetworkConfiguration(type: .posecnn, inputFrames: 2))
        let models = MonodepthModels(configuration: configuration, initialisation: .placeholder)
        for (name, module) in models.named { FormulaWeights.fill(module, salt: name.rawValue) }
        let metadata = EncoderMetadata(height: 192, width: 640, useStereo: false)
        try WeightsFolder.write(models, metadata: metadata, optimizer: nil, to: url)
        XCTAssertEqual(contents(url), ["depth.pth", "encoder.pth", "pose.pth"])
        for name in models.configuration.names {
            XCTAssertEqual(Array(try Data(contentsOf: WeightsFolder(url).fileURL(name)).prefix(2)), [0x50, 0x4B], "\(name.fileName) is a zip")
        }
        XCTAssertTrue(try WeightsFolder(url).read(.pose).extras.isEmpty)

        let fresh = MonodepthModels(configuration: configuration, initialisation: .placeholder)
        XCTAssertEqual(try WeightsFolder(url).load(into: fresh), metadata)
        for ((name, a), (_, b)) in zip(models.named, fresh.named) {
            XCTAssertTrue(a.stateEntries().map { NDArray($0.value) } == b.stateEntries().map { NDArray($0.value) }, name.rawValue)
        }
        let depthOnly = url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + "-depth")
        addTeardownBlock { try? FileManager.default.removeItem(at: depthOnly) }
        try WeightsFolder.write(models, networks: [.encoder, .depth], metadata: metadata, optimizer: nil, to: depthOnly)
        XCTAssertEqual(contents(depthOnly), ["depth.pth", "encoder.pth"])
    }
}
