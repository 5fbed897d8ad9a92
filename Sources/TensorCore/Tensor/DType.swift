/// Element type of a tensor. Float32 carries all differentiable math; the integer and Bool types
/// hold indices (argmin, max-pool), counters (`num_batches_tracked`) and masks.
public enum DType: String, Sendable, Equatable, CaseIterable {
    case float32, int32, int64, bool

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .float32, .int32: return 4
        case .int64: return 8
        case .bool: return 1
        }
    }
}
