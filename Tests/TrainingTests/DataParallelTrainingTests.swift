import ArrayIO
import Foundation
import TestSupport
import Training
import XCTest

/// `train` under `mpirun -np 2` against one process, on a tiny synthetic world (64×128, batch 4,
/// mono+stereo from scratch, seed 1): the same run up to the order of float sums with synchronised
/// BatchNorm, clearly another without it; bitwise-deterministic and resumable; refusing mismatched
/// flags and a batch the processes cannot share. Needs `mpirun` (skips without it, fails under
/// `MD2_REQUIRE_MPI=1`, as CI sets).
///
/// Tolerances (measured on the 2-core AMD EPYC Zen 3 machine; see the README's data-parallel
/// section): the first step sees the same weights, so its loss agrees to float rounding (measured
/// 0 to 1e-7 relative); the first two updates keep the losses within 1e-5. Adam then amplifies
/// the float differences of the sums (an update is about lr·sign(g) where |g| is near Adam's eps,
/// and the automask's minimum flips where two errors are within rounding): by step 10 the losses
/// differ by up to 7e-4 relative and the weights by 5e-4 relative L2 (-np 2 and -np 4, which differ
/// only in how the sums are split, differ from each other as much). Without SyncBN the first loss
/// already differs by 1e-4 and the weights by more than 1e-2.
final class DataParallelTrainingTests: XCTestCase {
    static let worldFolder = FileManager.default.temporaryDirectory.appendingPathComponent("md2-dp-world-\(getpid())")

    /// A synthetic world of 3 drives × 20 frames (64 training items), made once for the class.
    static let world = SharedFixture<URL> {
        let folder = worldFolder
        if !FileManager.default.fileExists(atPath: folder.appendingPathComponent("splits/synthetic/train_files.txt").path) {
            let outcome = try ChildProcess.run(try Executables.url(named: "synth-kitti"),
                                               ["--out", folder.path, "--drives", "3", "--frames", "20", "--width", "416",
                                                "--height", "128", "--seed", "3"], limit: 120)
            guard outcome.status == 0 else { throw XCTSkip("synth-kitti failed: \(outcome.error)") }
        }
        return folder
    }

    override class func tearDown() {
        try? FileManager.default.removeItem(at: worldFolder)
        super.tearDown()
    }

    /// A data path over the world's drives whose training list is the world's first `items` lines.
    func dataPath(items: Int, in root: URL) throws -> URL {
        let world = try Self.world.value()
        let path = root.appendingPathComponent("data-\(items)")
        let splits = path.appendingPathComponent("splits/synthetic")
        try FileManager.default.createDirectory(at: splits, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: world.path) where name != "splits" {
            try FileManager.default.createSymbolicLink(at: path.appendingPathComponent(name), withDestinationURL: world.appendingPathComponent(name))
        }
        let lines = try String(contentsOf: world.appendingPathComponent("splits/synthetic/train_files.txt"), encoding: .utf8)
            .split(separator: "\n").prefix(items)
        try (lines.joined(separator: "\n") + "\n").write(to: splits.appendingPathComponent("train_files.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: world.appendingPathComponent("splits/synthetic/val_files.txt"),
                                         to: splits.appendingPathComponent("val_files.txt"))
        return path
    }

    func temporaryRoot() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("md2-dp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        return root
    }

    func recipe(data: URL, logs: URL, epochs: Int) -> [String] {
        ["--data_path", data.path, "--split", "synthetic", "--log_dir", logs.path, "--model_name", "m",
         "--height", "64", "--width", "128", "--batch_size", "4", "--num_epochs", String(epochs), "--use_stereo",
         "--min_depth", "0.5", "--weights_init", "scratch", "--seed", "1", "--log_frequency", "1", "--num_workers", "0",
         "--disable_best_model"]
    }

    /// `train arguments` alone (processes 1) or under `mpirun -np processes`.
    func train(processes: Int, _ arguments: [String], mpirunFlags: [String] = [], file: StaticString = #filePath,
               line: UInt = #line) throws -> ChildProcess {
        let train = try Executables.url(named: "train")
        let outcome = processes == 1
            ? try ChildProcess.run(train, arguments, limit: 240)
            : try ChildProcess.run(try ChildProcess.mpirun(), ["-np", String(processes), "--oversubscribe"] + mpirunFlags
                                   + [train.path] + arguments, environment: ChildProcess.mpirunEnvironment, limit: 240)
        print(String(format: "[data-parallel] %d process(es): status %d, %.1f s", processes, outcome.status, outcome.seconds))
        return outcome
    }

    /// The `loss` scalars of `logs/m/train` by step (float32, as logged).
    func losses(_ logs: URL) throws -> [Int: Float] {
        let folder = logs.appendingPathComponent("m/train")
        let name = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasPrefix("events.out.tfevents") })
        return try EventScalars.read(folder.appendingPathComponent(name), tag: "loss")
    }

    /// Every float parameter (not the running statistics) of each network of a weights folder.
    func parameters(_ folder: URL) throws -> [String: [Double]] {
        var values: [String: [Double]] = [:]
        for network in ["encoder", "depth", "pose_encoder", "pose"] {
            let stateDict = try StateDict.read(contentsOf: folder.appendingPathComponent(network + ".pth"))
            values[network] = stateDict.tensors.filter { !$0.key.contains("running") && $0.array.elementType == .float32 }
                .flatMap { $0.array.doubleValues() }
        }
        return values
    }

    func relativeL2(_ a: [Double], _ b: [Double]) -> Double {
        let difference = zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        return (difference / a.reduce(0) { $0 + $1 * $1 }).squareRoot()
    }

    func testTwoProcessesComputeTheOneProcessRun() throws {
        let root = try temporaryRoot()
        let data = try dataPath(items: 40, in: root)  // 10 steps
        let runs = ["one": (1, [String]()), "two": (2, []), "unsynchronised": (2, ["--disable_sync_batchnorm"])]
        var loss: [String: [Int: Float]] = [:], weights: [String: [String: [Double]]] = [:]
        for (name, (processes, extra)) in runs.sorted(by: { $0.key < $1.key }) {
            let logs = root.appendingPathComponent(name)
            let outcome = try train(processes: processes, recipe(data: data, logs: logs, epochs: 1) + extra)
            XCTAssertEqual(outcome.status, 0, "\(name): \(outcome.error)")
            loss[name] = try losses(logs)
            weights[name] = try parameters(logs.appendingPathComponent("m/models/weights_0"))
        }
        let one = try XCTUnwrap(loss["one"]), two = try XCTUnwrap(loss["two"]), unsynchronised = try XCTUnwrap(loss["unsynchronised"])
        XCTAssertEqual(one.keys.sorted(), Array(0..<10))
        XCTAssertEqual(two.keys.sorted(), Array(0..<10), "rank 0 logs every step's whole-batch loss")
        for step in 0..<10 {
            let a = Double(try XCTUnwrap(one[step])), b = Double(try XCTUnwrap(two[step]))
            XCTAssertLessThanOrEqual(abs(a - b) / a, step < 2 ? 1e-5 : 3e-3, "step \(step): one process \(a), two \(b)")
        }
        let first = Double(try XCTUnwrap(one[0])), firstUnsynchronised = Double(try XCTUnwrap(unsynchronised[0]))
        XCTAssertGreaterThan(abs(first - firstUnsynchronised) / first, 2e-5, "without SyncBN each process normalises over 2 items")
        for network in ["encoder", "depth", "pose_encoder", "pose"] {
            let a = try XCTUnwrap(weights["one"]?[network]), b = try XCTUnwrap(weights["two"]?[network])
            let c = try XCTUnwrap(weights["unsynchronised"]?[network])
            XCTAssertEqual(a.count, b.count)
            XCTAssertLessThanOrEqual(relativeL2(a, b), 3e-3, "\(network) after 10 steps")
            if network.hasSuffix("encoder") {
                XCTAssertGreaterThan(relativeL2(a, c), 3 * relativeL2(a, b), "\(network): SyncBN is what makes them agree")
            }
        }
    }

    /// -np 2 twice gives the same bits (the second time with the gradients summed during the backward
    /// pass, `MD2_GRADIENT_OVERLAP=1`: the same sums, so the same bits); -np 2 stopped after epoch 0
    /// and resumed gives the bits of the uninterrupted run.
    func testTwoProcessRunsAreDeterministicAndResumeExactly() throws {
        let root = try temporaryRoot()
        let data = try dataPath(items: 12, in: root)  // 3 steps per epoch
        let straight = root.appendingPathComponent("straight"), stopped = root.appendingPathComponent("stopped")
        XCTAssertEqual(try train(processes: 2, recipe(data: data, logs: straight, epochs: 2)).status, 0)
        XCTAssertEqual(try train(processes: 2, recipe(data: data, logs: stopped, epochs: 1),
                                 mpirunFlags: ["-x", "MD2_GRADIENT_OVERLAP=1"]).status, 0)
        let resumed = try train(processes: 2, recipe(data: data, logs: stopped, epochs: 2)
                                + ["--resume", stopped.appendingPathComponent("m").path])
        XCTAssertEqual(resumed.status, 0, resumed.error)
        XCTAssertTrue(resumed.output.contains("resuming from folder"), resumed.output)
        for (epoch, network) in [(0, "encoder"), (0, "adam"), (1, "encoder"), (1, "depth"), (1, "pose"), (1, "adam")] {
            let a = try Data(contentsOf: straight.appendingPathComponent("m/models/weights_\(epoch)/\(network).pth"))
            let b = try Data(contentsOf: stopped.appendingPathComponent("m/models/weights_\(epoch)/\(network).pth"))
            XCTAssertTrue(a == b, "weights_\(epoch)/\(network).pth differs")
        }
    }

    func testMismatchedFlagsAndIndivisibleBatchAreRefused() throws {
        let root = try temporaryRoot()
        let data = try dataPath(items: 8, in: root)
        let logs = root.appendingPathComponent("logs")
        let train = try Executables.url(named: "train")
        let base = recipe(data: data, logs: logs, epochs: 1)
        let mismatched = try ChildProcess.run(try ChildProcess.mpirun(),
                                              ["--oversubscribe", "-np", "1", train.path] + base + [":", "-np", "1", train.path]
                                                + base + ["--scheduler_step_size", "7"],
                                              environment: ChildProcess.mpirunEnvironment, limit: 120)
        XCTAssertNotEqual(mismatched.status, 0)
        XCTAssertTrue(mismatched.error.contains("rank 1 was started with --scheduler_step_size 7 but rank 0 with 15"), mismatched.error)
        XCTAssertFalse(FileManager.default.fileExists(atPath: logs.appendingPathComponent("m/models").path), "nothing is written")

        let indivisible = try self.train(processes: 2, recipe(data: data, logs: logs, epochs: 1).map { $0 == "4" ? "3" : $0 })
        XCTAssertNotEqual(indivisible.status, 0)
        XCTAssertTrue(indivisible.error.contains("--batch_size 3 cannot be shared by 2 processes"), indivisible.error)
    }

    /// A run folder another process holds: rank 0 cannot lock it, and both ranks stop together
    /// (exit 1, no abort), rank 0 naming the folder and the holder's PID once.
    func testLockedRunFolderStopsEveryRank() throws {
        let root = try temporaryRoot()
        let data = try dataPath(items: 8, in: root)
        let logs = root.appendingPathComponent("logs")
        let held = try RunFolderLock(folder: logs.appendingPathComponent("m"))
        // The limit only ends a hang (a rank that did not stop would wait for rank 0 for ever).
        let outcome = try ChildProcess.run(try ChildProcess.mpirun(), ["-np", "2", "--oversubscribe", try Executables.url(named: "train").path]
                                           + recipe(data: data, logs: logs, epochs: 1), environment: ChildProcess.mpirunEnvironment, limit: 60)
        XCTAssertFalse(outcome.timedOut, "the ranks did not stop together")
        XCTAssertEqual(outcome.status, 1, outcome.error)
        let message = "\(held.folder.path) is in use by another train process (PID \(getpid())"
        XCTAssertEqual(outcome.error.components(separatedBy: message).count - 1, 1, outcome.error)
        XCTAssertFalse(outcome.error.contains("rank 1 of 2"), outcome.error)
        XCTAssertFalse(FileManager.default.fileExists(atPath: logs.appendingPathComponent("m/models").path), "nothing is written")
    }
}

/// The scalar values of one tag in a TensorBoard events file, by step (TFRecord framing; Event
/// protobuf: step = field 2, summary = field 5 → value = 1 → tag = 1, simple_value = 2).
enum EventScalars {
    static func read(_ url: URL, tag: String) throws -> [Int: Float] {
        let bytes = [UInt8](try Data(contentsOf: url))
        var values: [Int: Float] = [:]
        var offset = 0
        while offset + 12 <= bytes.count {
            let length = Int(bytes[offset..<offset + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
            let record = Array(bytes[(offset + 12)..<min(bytes.count, offset + 12 + length)])
            offset += 12 + length + 4
            var step = 0
            var found: Float?
            for (field, value) in fields(record) {
                if field == 2, case .varint(let v) = value { step = Int(v) }
                if field == 5, case .bytes(let summary) = value {
                    for (f, v) in fields(summary) where f == 1 {
                        guard case .bytes(let entry) = v else { continue }
                        var name: String?, number: Float?
                        for (g, w) in fields(entry) {
                            if g == 1, case .bytes(let text) = w { name = String(decoding: text, as: UTF8.self) }
                            if g == 2, case .fixed32(let bits) = w { number = Float(bitPattern: bits) }
                        }
                        if name == tag { found = number }
                    }
                }
            }
            if let found { values[step] = found }
        }
        return values
    }

    enum Value { case varint(UInt64), fixed32(UInt32), fixed64(UInt64), bytes([UInt8]) }

    static func fields(_ b: [UInt8]) -> [(Int, Value)] {
        var out: [(Int, Value)] = []
        var i = 0
        func varint() -> UInt64 {
            var result: UInt64 = 0, shift: UInt64 = 0
            while i < b.count {
                let c = b[i]; i += 1
                result |= UInt64(c & 0x7F) << shift
                shift += 7
                if c < 0x80 { break }
            }
            return result
        }
        while i < b.count {
            let key = varint()
            switch key & 7 {
            case 0: out.append((Int(key >> 3), .varint(varint())))
            case 1:
                guard i + 8 <= b.count else { return out }
                out.append((Int(key >> 3), .fixed64(b[i..<i + 8].reversed().reduce(0) { $0 << 8 | UInt64($1) }))); i += 8
            case 5:
                guard i + 4 <= b.count else { return out }
                out.append((Int(key >> 3), .fixed32(b[i..<i + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) }))); i += 4
            case 2:
                let n = Int(varint())
                guard i + n <= b.count else { return out }
                out.append((Int(key >> 3), .bytes(Array(b[i..<i + n])))); i += n
            default: return out
            }
        }
        return out
    }
}
