/// A single-channel float32 map, `height` rows of `width` values, row-major, like a NumPy `float32`
/// HxW array: a disparity (a prediction, a picture's input) or a depth map (one entry of
/// `gt_depths.npz`, a KITTI LiDAR projection, a 16-bit depth PNG divided by 256; metres, 0 where
/// there is no measurement).
public struct FloatMap: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// `height * width` values, row-major.
    public var values: [Float]

    public init(width: Int, height: Int, values: [Float]) {
        precondition(width >= 0 && height >= 0 && values.count == width * height,
                     "FloatMap: \(values.count) values for \(width)x\(height)")
        self.width = width
        self.height = height
        self.values = values
    }

    /// A map filled with `value`.
    public init(width: Int, height: Int, repeating value: Float = 0) {
        self.init(width: width, height: height, values: [Float](repeating: value, count: width * height))
    }

    /// The value at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> Float {
        get { values[y * width + x] }
        set { values[y * width + x] = newValue }
    }
}
