import Foundation
import Networks
import TensorCore
import XCTest
@testable import Training

/// The real engine's guards: its finiteness check sees a NaN in any weight, and its save refuses
/// to write one (nothing appears on disk).
final class MonodepthTrainerEngineTests: XCTestCase {
    func testFinitenessCheckAndSaveRefuseNonFiniteWeights() throws {
        let configuration = StepConfiguration(height: 64, width: 64, batchSize: 1, scales: [0], frameOffsets: [0], useStereo: true)
        let models = MonodepthModels(configuration: configuration.modelSet, initialisation: .scratch(generatorSeed: 3))
        let engine = MonodepthTrainerEngine(step: MonodepthStep(configuration: configuration, models: models), seed: 3)
        XCTAssertTrue(engine.parametersAreFinite())

        let bias = try XCTUnwrap(models.depth.dispconvs[0].conv.bias)
        let good = bias.value
        var values = good.scalars()
        values[0] = .nan
        bias.value = Tensor(shape: good.shape, scalars: values)
        XCTAssertFalse(engine.parametersAreFinite())

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engine-\(UUID().uuidString)/weights_0")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        XCTAssertThrowsError(try engine.saveWeights(to: folder, state: TrainerState(epoch: 0, globalStep: 1))) { error in
            guard case .nonFinite(_, let file, let key)? = error as? CheckpointError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "depth.pth")
            XCTAssertEqual(key, "decoder.10.conv.bias")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path))

        bias.value = good
        XCTAssertTrue(engine.parametersAreFinite())
        try engine.saveWeights(to: folder, state: TrainerState(epoch: 0, globalStep: 1))
        XCTAssertEqual(try TrainerState.read(from: folder).globalStep, 1)
    }
}
