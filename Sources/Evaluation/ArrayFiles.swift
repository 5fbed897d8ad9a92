import ArrayIO
import Foundation

/// Reading and writing the `.npy`/`.npz` files of evaluation.
/// ADAPTER: the only file that touches ArrayIO.
public enum ArrayFiles {
    /// Predicted disparities (`--ext_disp_to_eval`): a float32 or float64 array (N, H, W).
    public static func readDisparities(_ url: URL) throws(EvaluationError) -> Disparities {
        let array = try readNPY(url, what: "predicted disparities")
        guard array.shape.count == 3, array.shape.allSatisfy({ $0 > 0 }) else {
            throw .badShape(path: url.path, expected: "disparities of shape (N, H, W)", found: "shape \(array.shape)")
        }
        let (n, h, w) = (array.shape[0], array.shape[1], array.shape[2])
        switch array.elementType {
        case .float32: return .float32(MapStack(count: n, height: h, width: w, values: array.values(as: Float.self)))
        case .float64: return .float64(MapStack(count: n, height: h, width: w, values: array.values(as: Double.self)))
        default:
            throw .badShape(path: url.path, expected: "float32 or float64 disparities", found: "\(array.elementType)")
        }
    }

    /// `eigen_to_benchmark_ids.npy`: integer indices, each below `limit`.
    public static func readIndices(_ url: URL, limit: Int) throws(EvaluationError) -> [Int] {
        let array = try readNPY(url, what: "index array")
        guard array.shape.count == 1 else {
            throw .badShape(path: url.path, expected: "a 1-D index array", found: "shape \(array.shape)")
        }
        let indices: [Int]
        switch array.elementType {
        case .int64: indices = array.values(as: Int64.self).map { Int($0) }
        case .int32: indices = array.values(as: Int32.self).map { Int($0) }
        default: throw .badShape(path: url.path, expected: "int64 indices", found: "\(array.elementType)")
        }
        if let bad = indices.first(where: { $0 < 0 || $0 >= limit }) {
            throw .malformedFile(path: url.path, problem: "index \(bad) is outside the \(limit) predictions")
        }
        return indices
    }

    static func readNPY(_ url: URL, what: String) throws(EvaluationError) -> NDArray {
        guard FileManager.default.fileExists(atPath: url.path) else { throw .missingFile(path: url.path, what: what) }
        do { return try NPY.read(contentsOf: url) } catch {
            throw .malformedFile(path: url.path, problem: error.problem)
        }
    }

    /// Writes a float32/float64 array as `.npy` (`np.save`), atomically.
    public static func writeNPY(_ values: Disparities, to url: URL) throws(EvaluationError) {
        throw .unavailable("\(url.path): writing .npy files is not available in this build yet")
    }

    /// Writes float32 values of `shape` as `.npy` (`np.save`), atomically.
    public static func writeNPY(floats: [Float], shape: [Int], to url: URL) throws(EvaluationError) {
        throw .unavailable("\(url.path): writing .npy files is not available in this build yet")
    }

    /// `np.load(gt_path)["data"]`: the ground-truth maps of a `gt_depths.npz`, either a plain
    /// float32 (N, H, W) array or NumPy's pickled object array of 2-D float32 maps.
    public static func readGroundTruth(_ url: URL) throws(EvaluationError) -> [DepthMap] {
        guard FileManager.default.fileExists(atPath: url.path) else { throw .missingFile(path: url.path, what: "ground truth") }
        throw .unavailable("\(url.path): reading .npz files is not available in this build yet")
    }

    /// Writes `gt_depths.npz` (compressed, key `data`) as export_gt_depth.py does: a plain
    /// float32 (N, H, W) array when all maps share a size, else an object array of maps.
    public static func writeGroundTruth(_ maps: [DepthMap], to url: URL) throws(EvaluationError) {
        throw .unavailable("\(url.path): writing .npz files is not available in this build yet")
    }
}
