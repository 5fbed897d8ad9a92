import ArrayIO
import TensorCore

// Conversions between checkpoint arrays (ArrayIO.NDArray: host bytes) and tensors.

extension Tensor {
    /// A tensor holding `array`'s values: float types become float32, integer types int64, bool
    /// stays bool (PyTorch's `load_state_dict` copies with the same conversions).
    public init(_ array: NDArray, on backend: any Backend = CPUBackend.shared) {
        switch array.elementType {
        case .float32:
            self = array.bytes.withUnsafeBytes { backend.upload($0, shape: array.shape, dtype: .float32) }
        case .float16, .float64:
            self.init(shape: array.shape, scalars: array.floatValues(), on: backend)
        case .int64:
            self = array.bytes.withUnsafeBytes { backend.upload($0, shape: array.shape, dtype: .int64) }
        case .bool:
            self = array.bytes.withUnsafeBytes { backend.upload($0, shape: array.shape, dtype: .bool) }
        case .int32:
            self = array.bytes.withUnsafeBytes { backend.upload($0, shape: array.shape, dtype: .int32) }
        case .uint8, .int8, .int16, .uint16:
            self.init(shape: array.shape, int64s: array.doubleValues().map { Int64($0) }, on: backend)
        }
    }
}

extension NDArray {
    /// The tensor's logical values as a host array of the matching element type.
    public init(_ tensor: Tensor) {
        let type: ElementType
        switch tensor.dtype {
        case .float32: type = .float32
        case .int32: type = .int32
        case .int64: type = .int64
        case .bool: type = .bool
        }
        self.init(elementType: type, shape: tensor.shape, bytes: tensor.hostBytes())
    }
}

extension DType {
    /// Whether a checkpoint array of `type` can be assigned to a model entry of this dtype.
    func accepts(_ type: ElementType) -> Bool {
        switch self {
        case .float32: return [.float16, .float32, .float64].contains(type)
        case .int64, .int32: return [.int64, .int32, .int16, .int8, .uint8, .uint16].contains(type)
        case .bool: return type == .bool
        }
    }
}
