import Foundation
import TensorCore
import TestSupport
import XCTest
@testable import Training

/// The batch-level depth metrics against the original's `compute_depth_losses`, run by
/// Tests/Fixtures/trainer/make_depth_metrics.py on the same procedurally defined inputs.
final class TrainerDepthMetricsTests: XCTestCase {
    struct Case: Decodable {
        var name: String
        var batch: Int
        var height: Int
        var width: Int
        var scale: Double
        var metrics: [String: Double]
    }

    func testMatchesTheOriginalsComputeDepthLosses() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/trainer/depth_metrics.json").standardizedFileURL
        struct File: Decodable { var cases: [Case] }
        let cases = try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
        XCTAssertEqual(cases.count, 2)
        for c in cases {
            let metrics = try XCTUnwrap(TrainerDepthMetrics.compute(depth: prediction(c), groundTruth: groundTruth(batch: c.batch)))
            XCTAssertEqual(metrics.map(\.name), TrainerDepthMetrics.names)
            for (name, value) in metrics {
                let expected = try XCTUnwrap(c.metrics[name])
                // float32 sums in torch vs double sums here.
                XCTAssertEqual(Double(value), expected, accuracy: 2e-6 * max(1, abs(expected)), "\(c.name) \(name)")
            }
        }
    }

    func testNoGroundTruthInTheCropGivesNothing() {
        let depth = Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4])
        var truth = [Float](repeating: 0, count: 375 * 1242)
        truth[10 * 1242 + 600] = 5   // above the crop (row 153)
        XCTAssertNil(TrainerDepthMetrics.compute(depth: depth, groundTruth: Tensor(shape: [1, 1, 375, 1242], scalars: truth)))
    }

    func testLowerMedianAsTorch() {
        XCTAssertEqual(TrainerDepthMetrics.lowerMedian([4, 1, 3, 2]), 2)
        XCTAssertEqual(TrainerDepthMetrics.lowerMedian([5, 1, 3]), 3)
    }

    /// The script's `gt_value` for every pixel.
    func groundTruth(batch: Int) -> Tensor {
        var values = [Float](repeating: 0, count: batch * 375 * 1242)
        for b in 0..<batch {
            for y in 0..<375 {
                for x in 0..<1242 where ((y * 1242 + x) * 7919 + b * 13) % 97 == 0 {
                    values[(b * 375 + y) * 1242 + x] = Float(1.0 + Double((y * 31 + x * 17 + b) % 800) / 10.0)
                }
            }
        }
        return Tensor(shape: [batch, 1, 375, 1242], scalars: values)
    }

    /// The script's `pred_value`.
    func prediction(_ c: Case) -> Tensor {
        var values: [Float] = []
        for b in 0..<c.batch {
            for y in 0..<c.height {
                for x in 0..<c.width {
                    values.append(Float((0.5 + Double((y * 20 + x) * 37 % 23) / 2.3 + Double(b)) * c.scale))
                }
            }
        }
        return Tensor(shape: [c.batch, 1, c.height, c.width], scalars: values)
    }
}
