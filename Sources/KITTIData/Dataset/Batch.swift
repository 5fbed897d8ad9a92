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

    /// A batch of given tensors (tests, benchmarks, callers with their own data): `color[f]` per
    /// scale (B, 3, H/2^s, W/2^s); `colorAug[f]` likewise, at least scale 0 (nil: the same images,
    /// no augmentation); `K` and `invK` (B, 4, 4) per scale. The frames are ordered offsets
    /// ascending, then "s"; `indices` default to 0..<B.
    public init(color: [FrameID: [Tensor]], colorAug: [FrameID: [Tensor]]? = nil, K: [Tensor], invK: [Tensor],
                stereoT: Tensor? = nil, depthGT: Tensor? = nil, indices: [Int]? = nil) {
        let frames = color.keys.sorted { a, b in
            switch (a.offset, b.offset) {
            case let (x?, y?): return x < y
            case (_?, nil): return true
            default: return false
            }
        }
        let n = K.first?.shape[0] ?? 0
        precondition(!frames.isEmpty && K.count == invK.count && (colorAug.map { Set($0.keys) == Set(frames) } ?? true),
                     "Batch: frames \(frames), \(K.count) K and \(invK.count) inv_K scales, color_aug frames \(colorAug.map { Array($0.keys) } ?? [])")
        self.init(indices: indices ?? Array(0..<n), frameIDs: frames,
                  colorTensors: frames.map { color[$0] ?? [] }, colorAugTensors: frames.map { colorAug?[$0] ?? color[$0] ?? [] },
                  K: K, invK: invK, stereoT: stereoT, depthGT: depthGT)
    }

    init(indices: [Int], frameIDs: [FrameID], colorTensors: [[Tensor]], colorAugTensors: [[Tensor]], K: [Tensor],
         invK: [Tensor], stereoT: Tensor?, depthGT: Tensor?) {
        self.indices = indices
        self.frameIDs = frameIDs
        self.colorTensors = colorTensors
        self.colorAugTensors = colorAugTensors
        self.K = K
        self.invK = invK
        self.stereoT = stereoT
        self.depthGT = depthGT
    }

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

/// The host memory of one batch, written item by item (decoded items go straight into their
/// slot) and then handed to the backend as the batch's tensors without a copy
/// (`Backend.hostBuffer`). A fresh one per batch: the backend's allocator recycles the memory of
/// batches the trainer has finished with.
final class BatchBuffers: @unchecked Sendable {
    let batchSize: Int
    let sizes: [(width: Int, height: Int)]
    private let backend: any Backend
    /// `[frame][scale]`, each `batchSize * 3 * h * w` floats.
    private let colorBuffers: [[HostBuffer]]
    private let colorAugBuffers: [[HostBuffer]]
    /// Per scale, `batchSize * 16` floats.
    private let kBuffers: [HostBuffer]
    private let invKBuffers: [HostBuffer]
    private let stereoTBuffer: HostBuffer?
    private let depthBuffer: HostBuffer?
    let color: [[UnsafeMutablePointer<Float>]]
    let colorAug: [[UnsafeMutablePointer<Float>]]
    let k: [UnsafeMutablePointer<Float>]
    let invK: [UnsafeMutablePointer<Float>]
    let stereoT: UnsafeMutablePointer<Float>?
    let depth: UnsafeMutablePointer<Float>?
    static let depthPlane = DepthGroundTruth.height * DepthGroundTruth.width
    /// The LANCZOS tables of the pyramid's sizes, owned by the thread that builds the batch.
    let resampleCache: ResampleCache

    init(config: KITTIDatasetConfig, batchSize: Int, depth: Bool, resampleCache: ResampleCache,
         backend: any Backend = CPUBackend.shared) {
        self.batchSize = batchSize
        self.backend = backend
        self.resampleCache = resampleCache
        let sizes = (0..<config.numScales).map { config.size(scale: $0) }
        self.sizes = sizes
        func buffer(_ floats: Int) -> HostBuffer { backend.hostBuffer(byteCount: floats * MemoryLayout<Float>.size) }
        func planes() -> [[HostBuffer]] {
            config.frameIDs.map { _ in sizes.map { buffer(batchSize * 3 * $0.width * $0.height) } }
        }
        colorBuffers = planes()
        colorAugBuffers = planes()
        kBuffers = sizes.map { _ in buffer(batchSize * 16) }
        invKBuffers = sizes.map { _ in buffer(batchSize * 16) }
        stereoTBuffer = config.frameIDs.contains(.stereo) ? buffer(batchSize * 16) : nil
        depthBuffer = depth ? buffer(batchSize * Self.depthPlane) : nil
        color = colorBuffers.map { scales in zip(scales, sizes).map { $0.floats(batchSize * 3 * $1.width * $1.height) } }
        colorAug = colorAugBuffers.map { scales in zip(scales, sizes).map { $0.floats(batchSize * 3 * $1.width * $1.height) } }
        k = kBuffers.map { $0.floats(batchSize * 16) }
        invK = invKBuffers.map { $0.floats(batchSize * 16) }
        stereoT = stereoTBuffer?.floats(batchSize * 16)
        self.depth = depthBuffer?.floats(batchSize * Self.depthPlane)
    }

    /// The tensors of the first `indices.count` slots. The buffers are the tensors' memory from
    /// here on: nothing may write them afterwards.
    func makeBatch(indices: [Int], frameIDs: [FrameID]) -> Batch {
        let n = indices.count
        precondition(n <= batchSize)
        func tensor(_ buffer: HostBuffer, _ shape: [Int]) -> Tensor {
            backend.tensor(from: buffer, shape: shape, dtype: .float32)
        }
        func images(_ planes: [[HostBuffer]]) -> [[Tensor]] {
            planes.map { scales in
                zip(scales, sizes).map { buffer, size in tensor(buffer, [n, 3, size.height, size.width]) }
            }
        }
        return Batch(indices: indices, frameIDs: frameIDs,
                     colorTensors: images(colorBuffers), colorAugTensors: images(colorAugBuffers),
                     K: kBuffers.map { tensor($0, [n, 4, 4]) }, invK: invKBuffers.map { tensor($0, [n, 4, 4]) },
                     stereoT: stereoTBuffer.map { tensor($0, [n, 4, 4]) },
                     depthGT: depthBuffer.map { tensor($0, [n, 1, DepthGroundTruth.height, DepthGroundTruth.width]) })
    }
}
