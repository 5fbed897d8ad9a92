import ImageIO
import Options
import TensorCore

/// One collated batch, keyed like the original's `inputs` dictionary: `("color", f, s)` and
/// `("color_aug", f, s)` as (B, 3, H/2^s, W/2^s), `("K", s)` and `("inv_K", s)` as (B, 4, 4),
/// `"stereo_T"` (B, 4, 4) when "s" is a frame id, `"depth_gt"` (B, 1, 375, 1242) when the split's
/// first line has a velodyne scan.
public struct Batch: Sendable {
    /// The dataset index of each item.
    public let indices: [Int]
    public let frameIDs: [FrameID]
    /// `color[frame position][scale]`.
    let colorTensors: [[Tensor]]
    let colorAugTensors: [[Tensor]]
    /// Per scale.
    public let K: [Tensor]
    public let invK: [Tensor]
    public let stereoT: Tensor?
    public let depthGT: Tensor?

    public var count: Int { indices.count }
    public var numScales: Int { K.count }

    /// `inputs[("color", frame, scale)]`.
    public func color(_ frame: FrameID, scale: Int) -> Tensor { colorTensors[position(frame)][scale] }

    /// `inputs[("color_aug", frame, scale)]`.
    public func colorAug(_ frame: FrameID, scale: Int) -> Tensor { colorAugTensors[position(frame)][scale] }

    private func position(_ frame: FrameID) -> Int {
        guard let position = frameIDs.firstIndex(of: frame) else {
            preconditionFailure("Batch: frame id \(frame) is not one of \(frameIDs)")
        }
        return position
    }
}

/// Host buffers for one batch, allocated once per worker and refilled for every batch it builds
/// (decoded items are written straight into their slot), then uploaded into tensors.
final class BatchBuffers: @unchecked Sendable {
    let batchSize: Int
    let frameCount: Int
    let sizes: [(width: Int, height: Int)]
    /// `[frame][scale]`, each `batchSize * 3 * h * w`.
    let color: [[UnsafeMutablePointer<Float>]]
    let colorAug: [[UnsafeMutablePointer<Float>]]
    /// Per scale, `batchSize * 16`.
    let k: [UnsafeMutablePointer<Float>]
    let invK: [UnsafeMutablePointer<Float>]
    let stereoT: UnsafeMutablePointer<Float>?
    let depth: UnsafeMutablePointer<Float>?
    static let depthPlane = DepthGroundTruth.height * DepthGroundTruth.width
    /// The LANCZOS tables of the pyramid's sizes, built once per worker (buffers are per worker).
    let resampleCache = ResampleCache()

    init(config: KITTIDatasetConfig, batchSize: Int, depth: Bool) {
        self.batchSize = batchSize
        frameCount = config.frameIDs.count
        let sizes = (0..<config.numScales).map { config.size(scale: $0) }
        self.sizes = sizes
        func planes() -> [[UnsafeMutablePointer<Float>]] {
            (0..<config.frameIDs.count).map { _ in
                sizes.map { .allocate(capacity: batchSize * 3 * $0.width * $0.height) }
            }
        }
        color = planes()
        colorAug = planes()
        k = sizes.map { _ in .allocate(capacity: batchSize * 16) }
        invK = sizes.map { _ in .allocate(capacity: batchSize * 16) }
        stereoT = config.frameIDs.contains(.stereo) ? .allocate(capacity: batchSize * 16) : nil
        self.depth = depth ? .allocate(capacity: batchSize * Self.depthPlane) : nil
    }

    deinit {
        for pointer in color.joined() { pointer.deallocate() }
        for pointer in colorAug.joined() { pointer.deallocate() }
        for pointer in k + invK { pointer.deallocate() }
        stereoT?.deallocate()
        depth?.deallocate()
    }

    /// Tensors of the first `count` slots (copies: the buffers can be refilled at once).
    func makeBatch(indices: [Int], frameIDs: [FrameID]) -> Batch {
        let n = indices.count
        precondition(n <= batchSize)
        func tensor(_ pointer: UnsafeMutablePointer<Float>, _ shape: [Int]) -> Tensor {
            let bytes = UnsafeRawBufferPointer(start: pointer, count: Shape.count(shape) * MemoryLayout<Float>.size)
            return CPUBackend.shared.upload(bytes, shape: shape, dtype: .float32)
        }
        func images(_ planes: [[UnsafeMutablePointer<Float>]]) -> [[Tensor]] {
            planes.map { scales in
                zip(scales, sizes).map { pointer, size in tensor(pointer, [n, 3, size.height, size.width]) }
            }
        }
        return Batch(indices: indices, frameIDs: frameIDs,
                     colorTensors: images(color), colorAugTensors: images(colorAug),
                     K: k.map { tensor($0, [n, 4, 4]) }, invK: invK.map { tensor($0, [n, 4, 4]) },
                     stereoT: stereoT.map { tensor($0, [n, 4, 4]) },
                     depthGT: depth.map { tensor($0, [n, 1, DepthGroundTruth.height, DepthGroundTruth.width]) })
    }
}
