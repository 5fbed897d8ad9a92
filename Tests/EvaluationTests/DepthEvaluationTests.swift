import ArrayIO
import Foundation
import ImageIO
import KITTIData
import TestSupport
import XCTest
@testable import Evaluation

/// Metrics against the original evaluate_depth.py (reference/eval, 6 images of the 5 KITTI sizes).
/// Tolerance 1e-6 relative (README-io.md); the float32 path is in fact bit-exact (see
/// testFloat32EvaluationIsBitExact).
final class DepthEvaluationTests: XCTestCase {
    func evaluate(_ disparities: Disparities, stereo: Bool, groundTruth: [FloatMap]) throws -> DepthEvaluationResult {
        let evaluator = DepthEvaluator(eigenCrop: true, scaleFactor: stereo ? 5.4 : 1, medianScaling: !stereo)
        return try evaluator.evaluate(disparities, groundTruth: groundTruth)
    }

    func testMonoMetricsAndRatiosMatchTheOriginal() throws {
        let groundTruth = try EvalFixtures.groundTruth()
        XCTAssertEqual(groundTruth.map { [$0.height, $0.width] },
                       [[375, 1242], [370, 1226], [375, 1242], [374, 1238], [376, 1241], [375, 1242]])
        let result = try evaluate(.float32(try EvalFixtures.float32Stack("pred_disps.npy")), stereo: false, groundTruth: groundTruth)
        XCTAssertEqual(result.perImage.count, 6)
        assertMetrics(result.mean, try EvalFixtures.expectedMetrics("eval_mono"), "mono")
        let median = try EvalFixtures.expectedNumber("eval_mono", "ratio_med")
        let deviation = try EvalFixtures.expectedNumber("eval_mono", "ratio_std")
        XCTAssertEqual(try XCTUnwrap(result.ratioMedian), median, accuracy: 1e-6 * median)
        XCTAssertEqual(try XCTUnwrap(result.ratioStandardDeviation), deviation, accuracy: 1e-6 * deviation)
    }

    /// Stronger than the README's 1e-6: with NumPy's pairwise sums, float32 arithmetic, its SIMD
    /// float32 log and IPP's resize reproduced, every metric and ratio is bit-identical to what the
    /// original printed into expected.json. If this fails while the 1e-6 tests pass, an arithmetic
    /// order changed somewhere.
    func testFloat32EvaluationIsBitExact() throws {
        let groundTruth = try EvalFixtures.groundTruth()
        for (name, file, stereo) in [("eval_mono", "pred_disps.npy", false), ("eval_stereo", "pred_disps.npy", true),
                                     ("post_process_mono", "post_processed_disps.npy", false)] {
            let result = try evaluate(.float32(try EvalFixtures.float32Stack(file)), stereo: stereo, groundTruth: groundTruth)
            let expected = try EvalFixtures.expectedMetrics(name)
            XCTAssertEqual(result.mean.values, expected, name)
            if !stereo {
                let (median, deviation) = (try EvalFixtures.expectedNumber(name, "ratio_med"), try EvalFixtures.expectedNumber(name, "ratio_std"))
                XCTAssertEqual(result.ratioMedian, median, name)
                XCTAssertEqual(result.ratioStandardDeviation, deviation, name)
            }
        }
    }

    func testStereoMetricsMatchTheOriginal() throws {
        let result = try evaluate(.float32(try EvalFixtures.float32Stack("pred_disps.npy")), stereo: true,
                                  groundTruth: try EvalFixtures.groundTruth())
        assertMetrics(result.mean, try EvalFixtures.expectedMetrics("eval_stereo"), "stereo")
        XCTAssertNil(result.ratioMedian)
        XCTAssertTrue(result.ratios.isEmpty)
    }

    /// Flip post-processing from the two raw predictions reproduces post_processed_disps.npy bit
    /// for bit (float64 blend cast to float32, as the fixture stores it), and both give the metrics.
    func testPostProcessingMatchesTheOriginal() throws {
        let left = try EvalFixtures.float32Stack("pred_disps.npy")
        var flipped = try EvalFixtures.float32Stack("pred_disps_flipped.npy")
        XCTAssertEqual([flipped.count, flipped.height, flipped.width], [left.count, left.height, left.width])
        for row in 0..<(flipped.count * flipped.height) {
            flipped.values[(row * flipped.width)..<((row + 1) * flipped.width)].reverse()   // pred[N:, :, ::-1]
        }
        let blended = PostProcess.blend(left: left, right: flipped)
        let reference = try EvalFixtures.float32Stack("post_processed_disps.npy")
        XCTAssertEqual(reference.values.count, blended.values.count)
        let asFloat = blended.values.map { Float($0) }
        XCTAssertEqual(compare(asFloat, reference.values).maxAbsoluteError, 0, "\(compare(asFloat, reference.values))")

        let groundTruth = try EvalFixtures.groundTruth()
        let expected = try EvalFixtures.expectedMetrics("post_process_mono")
        let fromOurs = try evaluate(.float32(MapStack(count: 6, height: 192, width: 640, values: asFloat)), stereo: false,
                                    groundTruth: groundTruth)
        assertMetrics(fromOurs.mean, expected, "post-processed by us")
        let fromFile = try evaluate(.float32(reference), stereo: false, groundTruth: groundTruth)
        assertMetrics(fromFile.mean, expected, "post_processed_disps.npy")
        let median = try EvalFixtures.expectedNumber("post_process_mono", "ratio_med")
        XCTAssertEqual(try XCTUnwrap(fromFile.ratioMedian), median, accuracy: 1e-6 * median)
    }

    /// The float64 path (the original's post-processed predictions stay float64) evaluates to the
    /// same numbers within float32 noise.
    func testFloat64PredictionsEvaluateInDouble() throws {
        let left = try EvalFixtures.float32Stack("pred_disps.npy")
        let asDouble = MapStack(count: left.count, height: left.height, width: left.width, values: left.values.map(Double.init))
        let result = try evaluate(.float64(asDouble), stereo: false, groundTruth: try EvalFixtures.groundTruth())
        assertMetrics(result.mean, try EvalFixtures.expectedMetrics("eval_mono"), relative: 1e-4, "float64")
    }

    /// gt_depths.npz written by us (ragged -> pickled object array, like NumPy) reads back to the
    /// same maps and the same metrics.
    func testGroundTruthRoundTripThroughOurNPZ() throws {
        let groundTruth = try EvalFixtures.groundTruth()
        let folder = try EvalFixtures.temporaryFolder(self)
        let path = folder.appendingPathComponent("gt_depths.npz")
        try ArrayFiles.writeGroundTruth(groundTruth, to: path)
        let reread = try ArrayFiles.readGroundTruth(path)
        XCTAssertEqual(reread, groundTruth)
        let result = try evaluate(.float32(try EvalFixtures.float32Stack("pred_disps.npy")), stereo: false, groundTruth: reread)
        assertMetrics(result.mean, try EvalFixtures.expectedMetrics("eval_mono"), "round trip")
    }

    func testEigenCropTruncatesLikeNumPy() {
        // The eigen crop of `evaluate_depth.py evaluate` (int32 truncation of the float64 products).
        XCTAssertTrue(DepthEvaluator.eigenCropBox(height: 375, width: 1242) == (153, 371, 44, 1197))
        XCTAssertTrue(DepthEvaluator.eigenCropBox(height: 370, width: 1224) == (151, 366, 43, 1180))
        XCTAssertTrue(DepthEvaluator.eigenCropBox(height: 374, width: 1238) == (152, 370, 44, 1193))
        XCTAssertTrue(DepthEvaluator.eigenCropBox(height: 370, width: 1226) == (151, 366, 44, 1181))
        XCTAssertTrue(DepthEvaluator.eigenCropBox(height: 376, width: 1241) == (153, 372, 44, 1196))
    }

    func testCountMismatchIsATypedError() throws {
        let groundTruth = Array(try EvalFixtures.groundTruth().prefix(5))
        let predictions = try EvalFixtures.float32Stack("pred_disps.npy")
        XCTAssertThrowsError(try evaluate(.float32(predictions), stereo: false,
                                          groundTruth: groundTruth)) { error in
            guard case EvaluationError.countMismatch(_, _, let expected, let found) = error else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual([expected, found], [6, 5])
        }
    }
}
