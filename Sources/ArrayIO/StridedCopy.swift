#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gathers strided views (PyTorch tensors with offsets and arbitrary strides, Fortran-order NumPy
/// data) into contiguous row-major bytes, and swaps byte order in place.
enum StridedCopy {
    /// Number of storage elements a view needs: `offset + Σ (size_i − 1)·stride_i + 1`, or `offset`
    /// when the view is empty. `nil` on overflow, negative values or absurd sizes (user data).
    static func requiredElements(offset: Int, shape: [Int], strides: [Int]) -> Int? {
        guard shape.count == strides.count, offset >= 0 else { return nil }
        if shape.contains(0) { return shape.allSatisfy({ $0 >= 0 }) ? offset : nil }
        var last = offset
        for (size, stride) in zip(shape, strides) {
            guard size > 0, stride >= 0 else { return nil }
            let (step, overflow1) = (size - 1).multipliedReportingOverflow(by: stride)
            let (sum, overflow2) = last.addingReportingOverflow(step)
            guard !overflow1, !overflow2 else { return nil }
            last = sum
        }
        let (end, overflow) = last.addingReportingOverflow(1)
        return overflow ? nil : end
    }

    /// Row-major strides (in elements) of a contiguous array of `shape`.
    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    /// Copies the view (`offset`, `shape`, `strides`, all in elements) of `source` into row-major bytes.
    /// The caller has checked `requiredElements(...) * elementSize <= source.count`.
    static func gather(_ source: UnsafeRawBufferPointer, elementSize: Int, offset: Int, shape: [Int], strides: [Int]) -> [UInt8] {
        let count = shape.reduce(1, *)
        let byteCount = count * elementSize
        if count == 0 { return [] }
        if isContiguous(shape: shape, strides: strides) {
            return Array(UnsafeRawBufferPointer(rebasing: source[(offset * elementSize)..<(offset * elementSize + byteCount)]))
        }
        let rank = shape.count
        let innerCount = shape[rank - 1]
        let innerStride = strides[rank - 1] * elementSize
        return [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, initialized in
            let destination = UnsafeMutableRawPointer(buffer.baseAddress!)
            let base = source.baseAddress!
            var index = [Int](repeating: 0, count: max(rank - 1, 0))
            var written = 0
            while written < byteCount {
                var start = offset
                for axis in 0..<(rank - 1) { start += index[axis] * strides[axis] }
                copyRow(from: base + start * elementSize, stride: innerStride, count: innerCount,
                        to: destination + written, elementSize: elementSize)
                written += innerCount * elementSize
                var axis = rank - 2
                while axis >= 0 {
                    index[axis] += 1
                    if index[axis] < shape[axis] { break }
                    index[axis] = 0
                    axis -= 1
                }
            }
            initialized = byteCount
        }
    }

    /// True when the strides describe a row-major contiguous layout (size-1 axes may have any stride).
    static func isContiguous(shape: [Int], strides: [Int]) -> Bool {
        var expected = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] != 1 {
            if strides[axis] != expected { return false }
            expected *= shape[axis]
        }
        return true
    }

    private static func copyRow(from source: UnsafeRawPointer, stride: Int, count: Int,
                                to destination: UnsafeMutableRawPointer, elementSize: Int) {
        switch elementSize {
        case 1: copyRow(source, stride, count, destination, UInt8.self)
        case 2: copyRow(source, stride, count, destination, UInt16.self)
        case 4: copyRow(source, stride, count, destination, UInt32.self)
        case 8: copyRow(source, stride, count, destination, UInt64.self)
        default:
            for element in 0..<count {
                memcpy(destination + element * elementSize, source + element * stride, elementSize)
            }
        }
    }

    @inline(__always)
    private static func copyRow<T>(_ source: UnsafeRawPointer, _ stride: Int, _ count: Int,
                                   _ destination: UnsafeMutableRawPointer, _: T.Type) {
        let size = MemoryLayout<T>.size
        for element in 0..<count {
            let value = source.loadUnaligned(fromByteOffset: element * stride, as: T.self)
            destination.storeBytes(of: value, toByteOffset: element * size, as: T.self)
        }
    }

    /// Reverses the byte order of every `elementSize`-byte element in place.
    static func swapByteOrder(_ bytes: inout [UInt8], elementSize: Int) {
        guard elementSize > 1 else { return }
        bytes.withUnsafeMutableBufferPointer { buffer in
            var start = 0
            while start + elementSize <= buffer.count {
                var lo = start, hi = start + elementSize - 1
                while lo < hi { buffer.swapAt(lo, hi); lo += 1; hi -= 1 }
                start += elementSize
            }
        }
    }
}
