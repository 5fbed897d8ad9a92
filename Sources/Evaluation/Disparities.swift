import KITTIData
/// `count` maps of one size `height x width` in one contiguous buffer (`pred_disps`, N x H x W),
/// in the prediction's element type.
public struct MapStack<T: NumpyFloat>: Sendable, Equatable {
    public var count: Int
    public var height: Int
    public var width: Int
    /// `count * height * width` values, map after map.
    public var values: [T]

    public init(count: Int, height: Int, width: Int, values: [T]) {
        precondition(values.count == count * height * width,
                     "MapStack: \(values.count) values for \(count)x\(height)x\(width)")
        self.count = count
        self.height = height
        self.width = width
        self.values = values
    }

    /// Values per map.
    public var planeSize: Int { height * width }

    /// The maps at `indices`, in that order (`pred_disps[ids]`).
    public func gathering(_ indices: [Int]) -> MapStack<T> {
        var out = [T]()
        out.reserveCapacity(indices.count * planeSize)
        for index in indices { out.append(contentsOf: values[(index * planeSize)..<((index + 1) * planeSize)]) }
        return MapStack(count: indices.count, height: height, width: width, values: out)
    }
}

/// Predicted disparities as evaluate_depth.py holds them: float32 from a network or an `.npy`,
/// float64 after the original's post-processing (NumPy promotes there) or from a float64 file.
public enum Disparities: Sendable, Equatable {
    case float32(MapStack<Float>)
    case float64(MapStack<Double>)

    public var count: Int {
        switch self { case .float32(let s): return s.count; case .float64(let s): return s.count }
    }

    public var shape: [Int] {
        switch self {
        case .float32(let s): return [s.count, s.height, s.width]
        case .float64(let s): return [s.count, s.height, s.width]
        }
    }

    /// The maps at `indices` (`pred_disps[eigen_to_benchmark_ids]`).
    public func gathering(_ indices: [Int]) -> Disparities {
        switch self {
        case .float32(let s): return .float32(s.gathering(indices))
        case .float64(let s): return .float64(s.gathering(indices))
        }
    }
}
