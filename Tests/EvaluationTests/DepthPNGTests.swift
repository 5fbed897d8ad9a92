import ArrayIO
import Foundation
import KITTIData
import ImageIO
import TestSupport
import XCTest
@testable import Evaluation

/// The 16-bit PNG paths: eigen_benchmark ground truth (PNG / 256) and benchmark predictions.
final class DepthPNGTests: XCTestCase {
    /// export-gt --split eigen_benchmark on a drive whose annotated depth is the KITTI-sized 16-bit
    /// fixture io/png/depth16_1242x375.png: the map equals Pillow's array / 256 exactly.
    func testEigenBenchmarkExportReadsAnnotatedDepth() throws {
        let folder = try EvalFixtures.temporaryFolder(self)
        let drive = "2011_09_26/2011_09_26_drive_0002_sync"
        let annotated = folder.appendingPathComponent("\(drive)/proj_depth/groundtruth/image_02")
        try FileManager.default.createDirectory(at: annotated, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: try Fixtures.reference("io/png/depth16_1242x375.png"),
                                         to: annotated.appendingPathComponent("0000000069.png"))
        let list = folder.appendingPathComponent("test_files.txt")
        try "\(drive) 69 l\n".write(to: list, atomically: true, encoding: .utf8)
        var printed = ""
        var run = GroundTruthExportRun(dataPath: folder, split: .eigenBenchmark) { printed += $0 }
        run.splitFile = list
        let maps = try run.run()
        XCTAssertEqual(printed, "Exporting ground truth depths for eigen_benchmark\nSaving to eigen_benchmark\n")
        let pillow = try Fixtures.npy("io/png/depth16_1242x375.npy")
        XCTAssertEqual(pillow.shape, [375, 1242])
        XCTAssertEqual(maps.count, 1)
        XCTAssertEqual([maps[0].height, maps[0].width], [375, 1242])
        XCTAssertEqual(maps[0].values, pillow.values(as: UInt16.self).map { Float($0) / 256 })
        // Written beside the list, read back identical.
        XCTAssertEqual(try ArrayFiles.readGroundTruth(folder.appendingPathComponent("gt_depths.npz")), maps)
    }

    /// evaluate --eval_split benchmark on the first two fixture predictions. Expected values from
    /// `np.uint16(np.clip(5.4 / cv2.resize(pred_disps[i], (1216, 352)), 0, 80) * 256)` (NumPy 2.4.6,
    /// OpenCV 5.0): FNV-1a 64 of the little-endian bytes, sum, value at (100, 600), min, max.
    func testBenchmarkPredictionsMatchTheOriginal() throws {
        let folder = try EvalFixtures.temporaryFolder(self)
        let predictions = try EvalFixtures.float32Stack("pred_disps.npy")
        let two = folder.appendingPathComponent("two.npy")
        try ArrayFiles.writeNPY(.float32(predictions.gathering([0, 1])), to: two)
        var options = EvaluationOptions()
        options.evalMono = true
        options.evalSplit = .benchmark
        options.extDispToEval = two.path
        options.loadWeightsFolder = folder.path
        var printed = ""
        try EvaluationRun(options: options) { printed += $0 }.run()
        let output = folder.appendingPathComponent("benchmark_predictions")
        XCTAssertEqual(printed, "-> Loading predictions from \(two.path)\n-> Saving out benchmark predictions to \(output.path)\n"
                       + "-> No ground truth is available for the KITTI benchmark, so not evaluating. Done.\n")
        let expected: [(UInt64, Int, UInt16, UInt16, UInt16)] = [(0x83a8_6a73_5310_c60b, 2_732_087_883, 5966, 1655, 20480),
                                                                 (0x6170_b0ce_21a7_c78f, 2_114_425_677, 4338, 1104, 20480)]
        for (index, reference) in expected.enumerated() {
            guard case .sixteenBit(let image) = try PNG.read(contentsOf: output.appendingPathComponent("000000000\(index).png")) else {
                return XCTFail("not a 16-bit PNG")
            }
            XCTAssertEqual([image.width, image.height, image.channels], [1216, 352, 1])
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for sample in image.samples {
                for byte in [UInt8(truncatingIfNeeded: sample), UInt8(sample >> 8)] {
                    hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
                }
            }
            XCTAssertEqual(hash, reference.0, "image \(index)")
            XCTAssertEqual(image.samples.reduce(0) { $0 + Int($1) }, reference.1)
            XCTAssertEqual(image.samples[100 * 1216 + 600], reference.2)
            XCTAssertEqual(image.samples.min(), reference.3)
            XCTAssertEqual(image.samples.max(), reference.4)
        }
    }
}
