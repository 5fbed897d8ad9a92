import ArrayIO
import Foundation
import Networks
import TensorCore
import TestSupport
import XCTest

/// adam.pth round trip through the PyTorch optimizer state_dict layout (trainer.py `save_model` / `load_model`).
final class AdamCheckpointTests: XCTestCase {
    func makeOptimizer() -> (Adam, [Parameter]) {
        let parameters = [
            Parameter(Tensor(shape: [2, 3], scalars: [0.1, -0.2, 0.3, 0.4, -0.5, 0.6])),
            Parameter(Tensor(shape: [4], scalars: [1, 2, 3, 4])),  // never gets a gradient (like encoder.fc)
            Parameter(Tensor(shape: [1], scalars: [0.5])),
        ]
        return (Adam(parameters: parameters, learningRate: 1e-4), parameters)
    }

    func folder() throws -> WeightsFolder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("md2-adam-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return WeightsFolder(url)
    }

    func testRoundTripKeepsStepsAndMoments() throws {
        let (adam, parameters) = makeOptimizer()
        for step in 0..<3 {
            parameters[0].grad = Tensor(shape: [2, 3], scalars: [1, -2, 3, -4, 5, -6].map { Float($0) * Float(step + 1) })
            parameters[2].grad = Tensor(shape: [1], scalars: [0.25])
            adam.step()
        }
        let folder = try folder()
        try folder.saveOptimizer(adam)
        // Cross-check once with PyTorch: MD2_ADAM_EXPORT=DIR keeps a copy for torch.load (see the note).
        if let export = ProcessInfo.processInfo.environment["MD2_ADAM_EXPORT"] {
            try? FileManager.default.removeItem(atPath: export + "/adam.pth")
            try FileManager.default.copyItem(at: folder.url.appendingPathComponent("adam.pth"),
                                             to: URL(fileURLWithPath: export).appendingPathComponent("adam.pth"))
        }

        let (restored, _) = makeOptimizer()
        try folder.loadOptimizer(restored)
        XCTAssertEqual(restored.states.count, 3)
        XCTAssertNil(restored.states[1])
        for index in [0, 2] {
            let a = try XCTUnwrap(adam.states[index]), b = try XCTUnwrap(restored.states[index])
            XCTAssertEqual(b.step, 3)
            XCTAssertEqual(b.expAvg.scalars(), a.expAvg.scalars())
            XCTAssertEqual(b.expAvgSq.scalars(), a.expAvgSq.scalars())
        }

        // The file is PyTorch's layout: state keyed by parameter index, one param group.
        let value = try TorchCheckpoint.read(contentsOf: folder.url.appendingPathComponent("adam.pth"))
        XCTAssertEqual(value["state"]?.entries?.map { $0.key.intValue }, [0, 2])
        XCTAssertEqual(value["param_groups"]?.items?.first?["params"]?.items?.compactMap(\.intValue), [0, 1, 2])
        XCTAssertEqual(value["param_groups"]?.items?.first?["lr"]?.doubleValue, 1e-4)
    }

    func testTorch041IntegerStepIsAccepted() throws {
        let (adam, _) = makeOptimizer()
        let moment = NDArray(shape: [1], floats: [0.5])
        let value: CheckpointValue = .dict([
            CheckpointEntry("state", .dict([CheckpointEntry(.int(2), .dict([
                CheckpointEntry("step", .int(7)),
                CheckpointEntry("exp_avg", .array(moment)),
                CheckpointEntry("exp_avg_sq", .array(moment)),
            ]))])),
            CheckpointEntry("param_groups", .list([.dict([
                CheckpointEntry("lr", .float(1e-5)),
                CheckpointEntry("params", .list([.int(0), .int(1), .int(2)])),
            ])])),
        ])
        try adam.load(value, file: "adam.pth")
        XCTAssertEqual(adam.states[2]?.step, 7)
        XCTAssertEqual(adam.learningRate, 1e-5)
    }

    func testMismatchesAreNamedErrors() throws {
        let (adam, _) = makeOptimizer()
        let wrongShape: CheckpointValue = .dict([
            CheckpointEntry("state", .dict([CheckpointEntry(.int(0), .dict([
                CheckpointEntry("step", .int(1)),
                CheckpointEntry("exp_avg", .array(NDArray(shape: [3], floats: [0, 0, 0]))),
                CheckpointEntry("exp_avg_sq", .array(NDArray(shape: [3], floats: [0, 0, 0]))),
            ]))])),
            CheckpointEntry("param_groups", .list([.dict([CheckpointEntry("params", .list([.int(0), .int(1), .int(2)]))])])),
        ])
        XCTAssertThrowsError(try adam.load(wrongShape, file: "x/adam.pth")) { error in
            XCTAssertTrue("\(error)".contains("x/adam.pth") && "\(error)".contains("[2, 3]"), "\(error)")
        }
        let wrongCount: CheckpointValue = .dict([
            CheckpointEntry("state", .dict([])),
            CheckpointEntry("param_groups", .list([.dict([CheckpointEntry("params", .list([.int(0)]))])])),
        ])
        XCTAssertThrowsError(try adam.load(wrongCount, file: "x/adam.pth")) { error in
            XCTAssertTrue("\(error)".contains("1 parameters"), "\(error)")
        }
        XCTAssertThrowsError(try WeightsFolder(URL(fileURLWithPath: "/nonexistent")).loadOptimizer(adam)) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/adam.pth"), "\(error)")
        }
    }
}
