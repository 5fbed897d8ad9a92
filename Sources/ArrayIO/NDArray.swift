import Foundation

/// Element types that the array formats (.npy, .npz, .pth) carry.
public enum ElementType: String, Sendable, CaseIterable {
    case float16, float32, float64, uint8, uint16, int8, int16, int32, int64, bool

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .float16, .uint16, .int16: return 2
        case .float32, .int32: return 4
        case .float64, .int64: return 8
        }
    }
}

/// A host array: shape, element type and C-order (row-major), little-endian bytes.
/// The I/O modules speak only this type; tensor bridges live in the consumers.
public struct NDArray: Sendable, Equatable {
    public var elementType: ElementType
    public var shape: [Int]
    /// Row-major little-endian element bytes; `count == shape.product * elementType.size`.
    public var bytes: [UInt8]

    public init(elementType: ElementType, shape: [Int], bytes: [UInt8]) {
        precondition(bytes.count == shape.reduce(1, *) * elementType.size,
                     "NDArray: \(bytes.count) bytes do not fit shape \(shape) of \(elementType)")
        self.elementType = elementType
        self.shape = shape
        self.bytes = bytes
    }

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// A float32 array from values in row-major order.
    public init(shape: [Int], floats: [Float]) {
        precondition(floats.count == shape.reduce(1, *), "NDArray: \(floats.count) values for shape \(shape)")
        self.init(elementType: .float32, shape: shape, bytes: floats.withUnsafeBytes { Array($0) })
    }

    /// A float64 array from values in row-major order.
    public init(shape: [Int], doubles: [Double]) {
        precondition(doubles.count == shape.reduce(1, *), "NDArray: \(doubles.count) values for shape \(shape)")
        self.init(elementType: .float64, shape: shape, bytes: doubles.withUnsafeBytes { Array($0) })
    }

    /// An int64 array from values in row-major order.
    public init(shape: [Int], int64s: [Int64]) {
        precondition(int64s.count == shape.reduce(1, *), "NDArray: \(int64s.count) values for shape \(shape)")
        self.init(elementType: .int64, shape: shape, bytes: int64s.withUnsafeBytes { Array($0) })
    }

    /// Typed copy of the values, for element types whose in-memory layout is `T`.
    public func values<T>(as type: T.Type) -> [T] {
        precondition(MemoryLayout<T>.stride == elementType.size, "NDArray: \(T.self) does not match \(elementType)")
        return bytes.withUnsafeBytes { raw in
            Array(UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: T.self), count: count))
        }
    }

    /// All values converted to Float (float16/64 and integers are converted, bool is 0/1).
    public func floatValues() -> [Float] {
        switch elementType {
        case .float32: return values(as: Float.self)
        case .float64: return values(as: Double.self).map { Float($0) }
        case .float16: return values(as: UInt16.self).map { Float(Float16(bitPattern: $0)) }
        case .uint8: return bytes.map { Float($0) }
        case .bool: return bytes.map { $0 != 0 ? 1 : 0 }
        case .int8: return values(as: Int8.self).map { Float($0) }
        case .uint16: return values(as: UInt16.self).map { Float($0) }
        case .int16: return values(as: Int16.self).map { Float($0) }
        case .int32: return values(as: Int32.self).map { Float($0) }
        case .int64: return values(as: Int64.self).map { Float($0) }
        }
    }

    /// All values converted to Double (exact for every type but int64 beyond 2^53).
    public func doubleValues() -> [Double] {
        switch elementType {
        case .float64: return values(as: Double.self)
        case .int64: return values(as: Int64.self).map { Double($0) }
        default: return floatValues().map { Double($0) }
        }
    }
}
