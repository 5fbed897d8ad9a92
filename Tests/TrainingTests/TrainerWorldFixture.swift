import CommandLineKit
import Foundation
import Networks
import Options
import Synth
import XCTest
@testable import Training

/// A tiny synthetic KITTI-layout world (generated once per test process) and helpers to train on it
/// quietly at 64×96.
enum TrainerWorldFixture {
    /// The world's root (`--data_path`), generated once and kept in the temporary folder for later runs.
    static let world: Result<URL, Error> = Result {
        let config = SyntheticWorldConfig(drives: 2, frames: 12, seed: 3, width: 192, height: 64)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("md2-trainer-world-192x64-12")
        if !SyntheticWorld.isGenerated(config: config, at: root) {
            _ = try SyntheticWorld.generate(config: config, to: root)
        }
        return root
    }

    /// A fresh scratch folder.
    static func scratchFolder(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("md2-trainer-\(name)-\(getpid())-\(UUID().uuidString.prefix(6))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Tiny mono+stereo training options on `dataPath`.
    static func options(dataPath: URL, logDir: URL, epochs: Int, workers: Int, resume: String? = nil) -> MonodepthOptions {
        var o = MonodepthOptions()
        o.dataPath = dataPath.path
        o.logDir = logDir.path
        o.modelName = "tiny"
        o.split = .synthetic
        o.height = 64
        o.width = 96
        o.batchSize = 2
        o.numEpochs = epochs
        o.schedulerStepSize = 1
        o.useStereo = true
        o.weightsInit = .scratch
        o.numWorkers = workers
        o.logFrequency = 3
        o.seed = 11
        o.resume = resume
        return o
    }

    /// Runs a trainer silently; returns the lines it printed.
    @discardableResult
    static func train(_ options: MonodepthOptions) throws -> [String] {
        let lines = LineCollector()
        let trainer = try Trainer(options: options, output: { lines.append($0) },
                                  progressBar: Progress.Output(isTerminal: false) { _ in })
        try trainer.train()
        return lines.lines
    }

    /// Every tensor of every `.pth` file of a weights folder, by file and key.
    static func tensors(in folder: URL) throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".pth") && $0 != "adam.pth" }
        XCTAssertEqual(Set(names), ["encoder.pth", "depth.pth", "pose_encoder.pth", "pose.pth"])
        for name in names {
            let stateDict = try CheckpointFile.read(folder.appendingPathComponent(name))
            for (key, array) in stateDict.tensors { result[name + ":" + key] = Array(array.bytes) }
        }
        return result
    }
}

/// Collects printed text, thread-safely.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""

    func append(_ chunk: String) {
        lock.lock()
        text += chunk
        lock.unlock()
    }

    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
