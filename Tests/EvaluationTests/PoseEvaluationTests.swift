import ArrayIO
import Foundation
import TestSupport
import XCTest
@testable import Evaluation

/// Pose ATE against the original evaluate_pose.py's dump_xyz/compute_ate and GT handling, on the
/// synthetic trajectory of Tests/Fixtures/pose (made by Tests/Fixtures/pose/make_pose.py, which
/// imports the original script). float64 throughout; LAPACK/BLAS vs our 4x4 arithmetic differ in
/// the last bits only, so 1e-9 relative.
final class PoseEvaluationTests: XCTestCase {
    let folder = Fixtures.bundled("pose")

    func testSnippetErrorsMatchTheOriginal() throws {
        let groundTruth = try PoseEvaluation.readPoses(folder.appendingPathComponent("gt_poses.txt"))
        XCTAssertEqual(groundTruth.count, 14)
        let predictedArray = try NPY.read(contentsOf: folder.appendingPathComponent("pred_poses.npy"))
        XCTAssertEqual(predictedArray.shape, [13, 4, 4])
        let values = predictedArray.values(as: Float.self).map(Double.init)
        let predicted = (0..<13).map { Array(values[($0 * 16)..<(($0 + 1) * 16)]) }

        let errors = try PoseEvaluation.snippetErrors(predicted: predicted, groundTruthGlobal: groundTruth)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("expected.json"))) as? [String: Any]
        let expected = try XCTUnwrap(json?["ates"] as? [Double])
        XCTAssertEqual(errors.count, expected.count)
        for (index, (value, reference)) in zip(errors, expected).enumerated() {
            XCTAssertEqual(value, reference, accuracy: 1e-9 * reference, "snippet \(index)")
        }
        XCTAssertEqual(PoseEvaluation.report(errors), try XCTUnwrap(json?["printed"] as? String))
        XCTAssertEqual(NumpyReductions.mean(errors), try XCTUnwrap(json?["mean"] as? Double), accuracy: 1e-12)
        XCTAssertEqual(NumpyReductions.standardDeviation(errors), try XCTUnwrap(json?["std"] as? Double), accuracy: 1e-12)
    }

    func testChainingAndScaleAlignment() {
        // A pure translation chain: positions accumulate; a prediction at half scale aligns exactly.
        let step: Matrix4 = [1, 0, 0, 0.5, 0, 1, 0, 0, 0, 0, 1, 2, 0, 0, 0, 1]
        let half: Matrix4 = [1, 0, 0, 0.25, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1]
        let gt = PoseEvaluation.chainedPositions([step, step][...])
        XCTAssertEqual(gt, [SIMD3(0, 0, 0), SIMD3(0.5, 0, 2), SIMD3(1, 0, 4)])
        let pred = PoseEvaluation.chainedPositions([half, half][...])
        XCTAssertEqual(PoseEvaluation.absoluteTrajectoryError(groundTruth: gt, prediction: pred), 0)
        let inverse = PoseEvaluation.inverse(step)
        XCTAssertEqual(PoseEvaluation.multiply(step, inverse), [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])
    }

    func testBadPoseFilesAndCountsAreTypedErrors() throws {
        let temporary = try EvalFixtures.temporaryFolder(self)
        let file = temporary.appendingPathComponent("09.txt")
        try "1 0 0 0 0 1 0 0 0 0 1 0\n1 0 0 0 0 1 0 0 0 0 1\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try PoseEvaluation.readPoses(file)) { error in
            XCTAssertEqual(error as? EvaluationError, .malformedFile(path: file.path, problem: "line 2 has 11 numbers, expected 12"))
        }
        XCTAssertThrowsError(try PoseEvaluation.readPoses(temporary.appendingPathComponent("10.txt"))) { error in
            guard case EvaluationError.missingFile = error else { return XCTFail("\(error)") }
        }
        let identity: Matrix4 = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
        XCTAssertThrowsError(try PoseEvaluation.snippetErrors(predicted: [identity], groundTruthGlobal: [identity, identity, identity],
                                                              groundTruthFile: "poses/09.txt")) { error in
            guard case EvaluationError.countMismatch("poses/09.txt", _, 2, 3) = error else { return XCTFail("\(error)") }
        }
    }
}
