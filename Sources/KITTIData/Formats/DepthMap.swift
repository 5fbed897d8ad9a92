/// A float32 depth or disparity map, `height x width`, row-major (one entry of
/// `gt_depths.npz`, a KITTI LiDAR projection, a 16-bit PNG divided by 256).
public struct DepthMap: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// `height * width` values, metres for depth; 0 where there is no measurement.
    public var values: [Float]

    public init(width: Int, height: Int, values: [Float]) {
        precondition(values.count == width * height, "DepthMap: \(values.count) values for \(height)x\(width)")
        self.width = width
        self.height = height
        self.values = values
    }
}
