import Foundation
import KITTIData

/// A 4x4 float64 rigid transform, row-major.
public typealias Matrix4 = [Double]

/// `evaluate_pose.py evaluate` without the network: ground-truth odometry poses, the snippet
/// chaining of `evaluate_pose.py dump_xyz` and the scale-aligned `evaluate_pose.py compute_ate`,
/// both from SfMLearner.
public enum PoseEvaluation {
    /// Snippet length: 5 frames, i.e. 4 chained transforms per snippet.
    public static let trackLength = 5

    /// Reads a KITTI odometry pose file (`poses/{seq:02d}.txt`): one camera-to-world 3x4 matrix
    /// (12 numbers, row-major) per line, returned padded to 4x4 (`np.loadtxt(...).reshape(-1, 3, 4)`).
    public static func readPoses(_ url: URL) throws(EvaluationError) -> [Matrix4] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw .missingFile(path: url.path, what: "ground-truth poses")
        }
        var poses: [Matrix4] = []
        for (number, line) in SplitFile.lines(in: text) {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let tokens = content.split(whereSeparator: \.isWhitespace)
            if tokens.isEmpty { continue }
            guard tokens.count == 12 else {
                throw .malformedFile(path: url.path, problem: "line \(number) has \(tokens.count) numbers, expected 12")
            }
            var pose = Matrix4(repeating: 0, count: 16)
            for (index, token) in tokens.enumerated() {
                guard let value = Double(token) else {
                    throw .malformedFile(path: url.path, problem: "line \(number): '\(token)' is not a number")
                }
                pose[index] = value
            }
            pose[15] = 1
            poses.append(pose)
        }
        return poses
    }

    /// `inv(inv(G[i-1]) · G[i])` for consecutive global poses: the motion from frame i to i-1.
    public static func localPoses(_ global: [Matrix4]) -> [Matrix4] {
        guard global.count > 1 else { return [] }
        return (1..<global.count).map { index in
            inverse(multiply(inverse(global[index - 1]), global[index]))
        }
    }

    /// `dump_xyz`: chains the transforms from the identity and returns the camera positions
    /// before the first and after each step.
    public static func chainedPositions(_ transforms: ArraySlice<Matrix4>) -> [SIMD3<Double>] {
        var cameraToWorld: Matrix4 = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
        var positions = [SIMD3<Double>(0, 0, 0)]
        for transform in transforms {
            cameraToWorld = multiply(cameraToWorld, transform)
            positions.append(SIMD3(cameraToWorld[3], cameraToWorld[7], cameraToWorld[11]))
        }
        return positions
    }

    /// `compute_ate`: aligns the first points, fits one scale (least squares over all
    /// coordinates) and returns sqrt(sum of squared errors) / number of points (not an RMS).
    public static func absoluteTrajectoryError(groundTruth: [SIMD3<Double>], prediction: [SIMD3<Double>]) -> Double {
        precondition(groundTruth.count == prediction.count && !groundTruth.isEmpty,
                     "absoluteTrajectoryError: \(groundTruth.count) vs \(prediction.count) points")
        let offset = groundTruth[0] - prediction[0]
        let aligned = prediction.map { $0 + offset }
        func flatSum(_ points: [SIMD3<Double>]) -> Double {
            NumpyReductions.pairwiseSum(points.flatMap { [$0.x, $0.y, $0.z] })
        }
        let scale = flatSum(zip(groundTruth, aligned).map { $0 * $1 }) / flatSum(aligned.map { $0 * $0 })
        let errors = zip(groundTruth, aligned).map { gt, p -> SIMD3<Double> in
            let e = p * scale - gt
            return e * e
        }
        return flatSum(errors).squareRoot() / Double(groundTruth.count)
    }

    /// The ATE of every 5-frame snippet, i = 0 ..< #poses - 1. `predicted` are the network's
    /// frame-to-frame transforms (float32 4x4, one per test line = one per consecutive pair).
    public static func snippetErrors(predicted: [Matrix4], groundTruthGlobal: [Matrix4],
                                     groundTruthFile: String = "poses") throws(EvaluationError) -> [Double] {
        let local = localPoses(groundTruthGlobal)
        guard predicted.count == local.count else {
            throw .countMismatch(path: groundTruthFile, what: "poses (one more than the \(predicted.count) predictions)",
                                 expected: predicted.count + 1, found: groundTruthGlobal.count)
        }
        return (0..<local.count).map { index in
            let end = min(index + trackLength - 1, local.count)
            return absoluteTrajectoryError(groundTruth: chainedPositions(local[index..<end]),
                                           prediction: chainedPositions(predicted[index..<end]))
        }
    }

    /// `"\n   Trajectory error: {:0.3f}, std: {:0.3f}\n"` with the mean and population std.
    public static func report(_ errors: [Double]) -> String {
        let mean = NumpyReductions.mean(errors)
        let deviation = NumpyReductions.standardDeviation(errors)
        return "\n   Trajectory error: \(PythonFormat.fixed(mean, precision: 3)), std: \(PythonFormat.fixed(deviation, precision: 3))\n"
    }

    /// `np.dot` of 4x4 matrices (k-ordered fused chains, as OpenBLAS).
    static func multiply(_ a: Matrix4, _ b: Matrix4) -> Matrix4 {
        LidarProjection.multiply(a, rows: 4, inner: 4, b, columns: 4)
    }

    /// `np.linalg.inv` of a 4x4 matrix: Gauss-Jordan with partial pivoting (LAPACK's LU differs
    /// in the last bits only). A singular matrix yields non-finite entries.
    static func inverse(_ m: Matrix4) -> Matrix4 {
        var a = m
        var inv: Matrix4 = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
        for column in 0..<4 {
            var pivot = column
            for row in (column + 1)..<4 where abs(a[row * 4 + column]) > abs(a[pivot * 4 + column]) { pivot = row }
            if pivot != column {
                for k in 0..<4 {
                    a.swapAt(column * 4 + k, pivot * 4 + k)
                    inv.swapAt(column * 4 + k, pivot * 4 + k)
                }
            }
            let p = a[column * 4 + column]
            for k in 0..<4 { a[column * 4 + k] /= p; inv[column * 4 + k] /= p }
            for row in 0..<4 where row != column {
                let factor = a[row * 4 + column]
                if factor == 0 { continue }
                for k in 0..<4 {
                    a[row * 4 + k] -= factor * a[column * 4 + k]
                    inv[row * 4 + k] -= factor * inv[column * 4 + k]
                }
            }
        }
        return inv
    }
}
