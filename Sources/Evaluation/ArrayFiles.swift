import ArrayIO
import Foundation
import ImageIO
import KITTIData

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
        let array: NDArray
        switch values {
        case .float32(let s):
            array = NDArray(elementType: .float32, shape: [s.count, s.height, s.width], bytes: s.values.withUnsafeBytes { Array($0) })
        case .float64(let s):
            array = NDArray(elementType: .float64, shape: [s.count, s.height, s.width], bytes: s.values.withUnsafeBytes { Array($0) })
        }
        try write(array, to: url)
    }

    static func write(_ array: NDArray, to url: URL) throws(EvaluationError) {
        do { try NPY.write(array, to: url) } catch {
            throw .malformedFile(path: url.path, problem: "cannot write (\(error.problem))")
        }
    }

    /// Writes float32 values of `shape` as `.npy` (`np.save`), atomically.
    public static func writeNPY(floats: [Float], shape: [Int], to url: URL) throws(EvaluationError) {
        try write(NDArray(shape: shape, floats: floats), to: url)
    }

    /// `np.load(gt_path)["data"]`: the ground-truth maps of a `gt_depths.npz`, either a plain
    /// float32 (N, H, W) array or NumPy's pickled object array of 2-D float32 maps.
    public static func readGroundTruth(_ url: URL) throws(EvaluationError) -> [FloatMap] {
        guard FileManager.default.fileExists(atPath: url.path) else { throw .missingFile(path: url.path, what: "ground truth") }
        let entries: [String: NPZEntry]
        do { entries = try NPZ.read(contentsOf: url) } catch {
            throw .malformedFile(path: url.path, problem: error.problem)
        }
        guard let data = entries["data"] else {
            throw .malformedFile(path: url.path, problem: "no 'data' array (keys: \(entries.keys.sorted().joined(separator: ", ")))")
        }
        switch data {
        case .array(let array):
            // One contiguous (N, H, W) stack (all maps of one size): slice it without NDArray copies.
            guard array.shape.count == 3, array.shape.allSatisfy({ $0 > 0 }) else {
                throw .badShape(path: url.path, expected: "'data' of shape (N, H, W) or a list of 2-D maps", found: "shape \(array.shape)")
            }
            let (count, height, width) = (array.shape[0], array.shape[1], array.shape[2])
            let plane = height * width
            guard array.elementType == .float32 else {
                let all = try floatValues(array, path: url.path, label: "'data'")
                return (0..<count).map { FloatMap(width: width, height: height, values: Array(all[($0 * plane)..<(($0 + 1) * plane)])) }
            }
            return array.bytes.withUnsafeBytes { raw in
                (0..<count).map { index in
                    let bytes = UnsafeRawBufferPointer(rebasing: raw[(index * plane * 4)..<((index + 1) * plane * 4)])
                    let values = [Float](unsafeUninitializedCapacity: plane) { buffer, initialized in
                        UnsafeMutableRawBufferPointer(buffer).copyMemory(from: bytes)
                        initialized = plane
                    }
                    return FloatMap(width: width, height: height, values: values)
                }
            }
        case .objects(let arrays):
            var maps: [FloatMap] = []
            maps.reserveCapacity(arrays.count)
            for (index, map) in arrays.enumerated() {
                guard map.shape.count == 2, map.shape[0] > 0, map.shape[1] > 0 else {
                    throw .badShape(path: url.path, expected: "2-D ground-truth maps", found: "map \(index) of shape \(map.shape)")
                }
                maps.append(FloatMap(width: map.shape[1], height: map.shape[0],
                                     values: try floatValues(map, path: url.path, label: "map \(index)")))
            }
            return maps
        }
    }

    /// float32 values of a ground-truth array (float64 is rounded to float32, as export-gt stores it).
    static func floatValues(_ array: NDArray, path: String, label: String) throws(EvaluationError) -> [Float] {
        switch array.elementType {
        case .float32: return array.values(as: Float.self)
        case .float64: return array.values(as: Double.self).map { Float($0) }
        default: throw .badShape(path: path, expected: "float32 ground truth", found: "\(label) of \(array.elementType)")
        }
    }

    /// Writes `gt_depths.npz` (compressed, key `data`) as export_gt_depth.py does: a plain
    /// float32 (N, H, W) array when all maps share a size, else an object array of maps.
    public static func writeGroundTruth(_ maps: [FloatMap], to url: URL) throws(EvaluationError) {
        let entry: NPZEntry
        if let first = maps.first, maps.allSatisfy({ $0.width == first.width && $0.height == first.height }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(maps.count * first.values.count * 4)
            for map in maps { map.values.withUnsafeBytes { bytes.append(contentsOf: $0) } }
            entry = .array(NDArray(elementType: .float32, shape: [maps.count, first.height, first.width], bytes: bytes))
        } else {
            entry = .objects(maps.map { NDArray(shape: [$0.height, $0.width], floats: $0.values) })
        }
        do { try NPZ.write([("data", entry)], to: url, compressed: true) } catch {
            throw .malformedFile(path: url.path, problem: "cannot write (\(error.problem))")
        }
    }
}
