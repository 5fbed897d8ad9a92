import Kernels

/// Memory owned by one backend. Only that backend reads or writes it; everything else holds it
/// through a `Tensor` (shape, strides, offset) and calls the backend's methods.
open class Storage: @unchecked Sendable {
    /// The backend that owns this memory.
    public let backend: any Backend
    /// Size in bytes.
    public let byteCount: Int

    public init(backend: any Backend, byteCount: Int) {
        self.backend = backend
        self.byteCount = byteCount
    }
}

/// Elementwise op descriptors shared by every backend (plain data: kind and constants).
public typealias UnaryOp = UnaryKernel
public typealias BinaryOp = BinaryKernel
public typealias ComparisonOp = CompareKernel

/// One device's implementation of every op family. `CPUBackend` is the first; a CUDA backend
/// implements the same methods. Contracts common to all methods:
/// - inputs may be any strided views (the backend makes them contiguous when it needs to);
/// - outputs are fresh contiguous tensors on this backend (methods named `…Into` / `fill` /
///   `accumulate` / `adamUpdate` write into the given tensor instead);
/// - shapes have already been checked by the op layer (TensorCore/Ops), which also owns autodiff.
public protocol Backend: AnyObject, Sendable {
    /// A short name for messages ("cpu").
    var name: String { get }

    // MARK: Memory and host transfers
    /// A contiguous tensor with unspecified contents.
    func allocate(shape: [Int], dtype: DType) -> Tensor
    /// A contiguous tensor holding `bytes` (row-major, little-endian values of `dtype`).
    func upload(_ bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType) -> Tensor
    /// `byteCount` bytes of host memory to write and then turn into a tensor with
    /// `tensor(from:shape:dtype:)` (no copy where the backend's memory is host memory).
    func hostBuffer(byteCount: Int) -> HostBuffer
    /// A contiguous tensor of `buffer`'s row-major bytes (`buffer` came from this backend's
    /// `hostBuffer` and is not written afterwards).
    func tensor(from buffer: HostBuffer, shape: [Int], dtype: DType) -> Tensor
    /// The row-major bytes of the logical values of `tensor`.
    func download(_ tensor: Tensor) -> [UInt8]
    /// Sets every element of `tensor` (any view) to `value` converted to its dtype.
    func fill(_ tensor: Tensor, with value: Double)
    /// Copies `source` into the view `destination` (same shape and dtype).
    func copy(_ source: Tensor, into destination: Tensor)
    /// A contiguous copy converted to `dtype` (float → integer truncates toward zero).
    func convert(_ tensor: Tensor, to dtype: DType) -> Tensor

    /// A float32 tensor of mean + standardDeviation · N(0,1) values, each a function of `key` and
    /// its row-major index only (counter-based: the same for any thread count or device).
    func randomNormal(shape: [Int], mean: Float, standardDeviation: Float, key: UInt64) -> Tensor

    // MARK: Elementwise
    func unary(_ op: UnaryOp, _ x: Tensor) -> Tensor
    /// gradInput of a unary op; `input`/`output` are the forward tensors (see `unaryBackwardUsesOutput`).
    func unaryBackward(_ op: UnaryOp, input: Tensor?, output: Tensor?, gradOutput: Tensor) -> Tensor
    /// op(a, b) for two tensors of the same shape (broadcast views carry stride 0).
    func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) -> Tensor
    /// Bool tensor a ⋄ b (same shape, float32 inputs).
    func compare(_ op: ComparisonOp, _ a: Tensor, _ b: Tensor) -> Tensor
    /// mask ? a : b (same shapes; mask bool, a and b float32).
    func select(_ mask: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor
    /// destination += source in place (float32, same shape; both may be strided views, the
    /// destination's elements distinct, e.g. one slice of a gradient).
    func accumulate(_ source: Tensor, into destination: Tensor)

    // MARK: Reductions
    /// Sum over `axes`, keeping them as size 1.
    func sum(_ x: Tensor, axes: [Int]) -> Tensor
    /// Minimum along `axis` (kept as size 1) and the int64 index of the FIRST minimum.
    func minAlong(_ x: Tensor, axis: Int) -> (values: Tensor, indices: Tensor)
    /// Gradient of `minAlong`: gradOutput (axis size 1) routed to the recorded indices.
    func minAlongBackward(gradOutput: Tensor, indices: Tensor, axis: Int, inputShape: [Int]) -> Tensor

    // MARK: Linear algebra
    /// Batched matrix product: a (batch, m, k) · b (batch, k, n) → (batch, m, n); a batch size
    /// of 1 broadcasts. Transposed views (swapped last strides) are used without copying.
    func matmul(_ a: Tensor, _ b: Tensor) -> Tensor
    /// Convolution (cross-correlation, zero padding): x (N,Cin,H,W), w (Cout,Cin,kh,kw), bias (Cout).
    func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, geometry: Conv2dGeometry) -> Tensor
    func conv2dBackwardInput(gradOutput: Tensor, weight: Tensor, geometry: Conv2dGeometry) -> Tensor
    /// gradWeight and (when `withBias`) gradBias.
    func conv2dBackwardWeight(_ x: Tensor, gradOutput: Tensor, geometry: Conv2dGeometry, withBias: Bool) -> (Tensor, Tensor?)

    // MARK: Spatial (NCHW)
    /// Max pooling (−inf padding): output and int32 in-plane indices of the FIRST maximum.
    func maxPool2d(_ x: Tensor, geometry: Pool2dGeometry) -> (output: Tensor, indices: Tensor)
    func maxPool2dBackward(gradOutput: Tensor, indices: Tensor, geometry: Pool2dGeometry, inputShape: [Int]) -> Tensor
    /// Average pooling without padding.
    func avgPool2d(_ x: Tensor, geometry: Pool2dGeometry) -> Tensor
    func avgPool2dBackward(gradOutput: Tensor, geometry: Pool2dGeometry, inputShape: [Int]) -> Tensor
    /// Reflection padding; `pads` = (top, bottom, left, right).
    func reflectionPad2d(_ x: Tensor, pads: (Int, Int, Int, Int)) -> Tensor
    func reflectionPad2dBackward(gradOutput: Tensor, pads: (Int, Int, Int, Int), inputShape: [Int]) -> Tensor
    /// Nearest upsampling by an integer factor.
    func upsampleNearest2d(_ x: Tensor, factor: Int) -> Tensor
    func upsampleNearest2dBackward(gradOutput: Tensor, factor: Int, inputShape: [Int]) -> Tensor
    /// Bilinear resize, align_corners=False (PyTorch F.interpolate semantics).
    func resizeBilinear(_ x: Tensor, height: Int, width: Int) -> Tensor
    func resizeBilinearBackward(gradOutput: Tensor, inputShape: [Int]) -> Tensor
    /// Bilinear grid sampling, border padding, align_corners=True.
    func gridSample(_ x: Tensor, grid: Tensor) -> Tensor
    func gridSampleBackward(_ x: Tensor, grid: Tensor, gradOutput: Tensor, needInput: Bool, needGrid: Bool) -> (Tensor?, Tensor?)

    // MARK: Normalisation
    /// Per-channel batch mean and biased variance of x (N, C, …): two (C) tensors, and the number
    /// of elements per channel they were taken over. With `replicas`, over every replica's x
    /// (synchronised batch norm; each replica holds an equal share of the batch).
    func batchNormStatistics(_ x: Tensor, replicas: (any ReplicaGroup)?) -> (mean: Tensor, variance: Tensor, count: Int)
    /// (x − mean)·invStd·weight + bias per channel; weight/bias nil mean 1/0.
    func batchNormApply(_ x: Tensor, mean: Tensor, invStd: Tensor, weight: Tensor?, bias: Tensor?) -> Tensor
    /// gradInput (when `needInput`), gradWeight = Σ g·x̂, gradBias = Σ g. `training` selects the
    /// batch-statistics backward (mean and invStd depend on x) or the fixed-statistics one. With
    /// `replicas` (training), gradInput uses the sums over every replica, as the statistics did;
    /// gradWeight and gradBias stay this replica's own (the parameter gradients are summed later).
    func batchNormBackward(_ x: Tensor, gradOutput: Tensor, mean: Tensor, invStd: Tensor, weight: Tensor?,
                           training: Bool, needInput: Bool,
                           replicas: (any ReplicaGroup)?) -> (gradInput: Tensor?, gradWeight: Tensor, gradBias: Tensor)

    // MARK: Data parallelism
    /// Sums each float32 tensor over the replicas, in place (the gradient reduction).
    func sumAcrossReplicas(_ tensors: [Tensor], replicas: any ReplicaGroup)
    /// Replaces each tensor's values with replica 0's (the same initial weights everywhere).
    func broadcastFromFirstReplica(_ tensors: [Tensor], replicas: any ReplicaGroup)

    // MARK: Optimisation
    /// One Adam step in place on `parameter`, `expAvg`, `expAvgSq` (contiguous, same shape as `gradient`).
    func adamUpdate(_ step: AdamStepParameters, parameter: Tensor, gradient: Tensor, expAvg: Tensor, expAvgSq: Tensor)
}
