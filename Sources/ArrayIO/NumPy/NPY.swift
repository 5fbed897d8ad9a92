import Foundation

/// NumPy `.npy` files (format versions 1.0, 2.0, 3.0): every numeric `ElementType`, C and Fortran
/// order, both byte orders, 0-d arrays, and 1-D object arrays of numeric arrays (ragged ground truth).
public enum NPY {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"

    /// Reads a `.npy` file holding a numeric array.
    public static func read(contentsOf url: URL) throws(ArrayIOError) -> NDArray {
        try decode(try FileBytes.read(contentsOf: url), file: url.path)
    }

    /// Reads a `.npy` file holding a numeric array or an object array of numeric arrays.
    public static func readEntry(contentsOf url: URL) throws(ArrayIOError) -> NPZEntry {
        try decodeEntry(try FileBytes.read(contentsOf: url), file: url.path)
    }

    /// Writes `array` as a `.npy` file (version 1.0 header, little-endian, C order) atomically.
    public static func write(_ array: NDArray, to url: URL) throws(ArrayIOError) {
        try FileBytes.write(encode(array), to: url)
    }

    /// Parses `.npy` bytes of a numeric array. `file` only names the source in errors.
    public static func decode(_ bytes: [UInt8], file: String = "<memory>") throws(ArrayIOError) -> NDArray {
        switch try decodeEntry(bytes, file: file) {
        case .array(let array): return array
        case .objects: throw ArrayIOError(file: file, "holds an object array (a list of arrays), not a numeric array")
        }
    }

    /// Parses `.npy` bytes of a numeric array or an object array whose elements are numeric arrays.
    public static func decodeEntry(_ bytes: [UInt8], file: String = "<memory>") throws(ArrayIOError) -> NPZEntry {
        let (header, dataStart) = try parseHeader(bytes, file: file)
        switch header.dataType {
        case .object:
            let payload = Array(bytes[dataStart...])
            let objects = try NumPyPickle.decodeObjectArray(payload, file: file)
            guard objects.count == header.shape.reduce(1, *) else {
                throw ArrayIOError(file: file, "object array holds \(objects.count) elements, header shape \(header.shape)")
            }
            return .objects(objects)
        case .element(let type, let bigEndian):
            let byteCount = header.shape.reduce(1, *) * type.size  // bounded by NPYHeader.maximumElements
            guard bytes.count - dataStart >= byteCount else {
                throw ArrayIOError(file: file, "data too short for shape \(header.shape) of \(type): \(bytes.count - dataStart) of \(byteCount) bytes")
            }
            return .array(try makeArray(bytes, start: dataStart, type: type, bigEndian: bigEndian,
                                        fortranOrder: header.fortranOrder, shape: header.shape))
        }
    }

    /// Builds a row-major little-endian array from raw element bytes at `start` of `bytes`
    /// (already checked to hold the whole payload).
    static func makeArray(_ bytes: [UInt8], start: Int, type: ElementType, bigEndian: Bool,
                          fortranOrder: Bool, shape: [Int]) throws(ArrayIOError) -> NDArray {
        let byteCount = shape.reduce(1, *) * type.size
        var payload: [UInt8]
        if fortranOrder && shape.count > 1 {
            let strides = Array(StridedCopy.contiguousStrides(shape.reversed()).reversed())
            payload = bytes.withUnsafeBytes { raw in
                StridedCopy.gather(UnsafeRawBufferPointer(rebasing: raw[start..<(start + byteCount)]),
                                   elementSize: type.size, offset: 0, shape: shape, strides: strides)
            }
        } else {
            payload = Array(bytes[start..<(start + byteCount)])
        }
        if bigEndian { StridedCopy.swapByteOrder(&payload, elementSize: type.size) }
        return NDArray(elementType: type, shape: shape, bytes: payload)
    }

    /// Reads magic, version and the header dictionary; returns the header and where the data starts.
    static func parseHeader(_ bytes: [UInt8], file: String) throws(ArrayIOError) -> (NPYHeader, Int) {
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw ArrayIOError(file: file, "not a .npy file (bad magic)")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes.loadLittleEndian(at: 8, width: 2))
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw ArrayIOError(file: file, "truncated .npy header") }
            headerLength = Int(bytes.loadLittleEndian(at: 8, width: 4))
            headerStart = 12
        default:
            throw ArrayIOError(file: file, "unsupported .npy format version \(major).\(bytes[7])")
        }
        guard headerLength <= bytes.count - headerStart else {
            throw ArrayIOError(file: file, "truncated .npy header (needs \(headerLength) bytes)")
        }
        let headerBytes = bytes[headerStart..<(headerStart + headerLength)]
        let text: String
        if major == 3 {
            guard let utf8 = String(validating: headerBytes, as: UTF8.self) else {
                throw ArrayIOError(file: file, "unreadable .npy header (invalid UTF-8)")
            }
            text = utf8
        } else {
            text = String(headerBytes.map { Character(Unicode.Scalar($0)) })  // latin-1
        }
        return (try NPYHeader.parse(text, file: file), headerStart + headerLength)
    }

    /// `.npy` bytes for `array`, as NumPy's `np.save` writes them (C order, little-endian) unless
    /// `fortranOrder` (column-major data) or `bigEndian` (`>` descr) are asked for.
    public static func encode(_ array: NDArray, fortranOrder: Bool = false, bigEndian: Bool = false) -> [UInt8] {
        let fortran = fortranOrder && array.shape.count > 1
        var result = NPYHeader.encode(descr: NPYHeader.descr(of: array.elementType, bigEndian: bigEndian),
                                      fortranOrder: fortran, shape: array.shape)
        var payload: [UInt8]
        if fortran {
            // Column-major data = the row-major data of the transposed array.
            let reversedShape = Array(array.shape.reversed())
            let strides = Array(StridedCopy.contiguousStrides(array.shape).reversed())
            payload = array.bytes.withUnsafeBytes {
                StridedCopy.gather($0, elementSize: array.elementType.size, offset: 0, shape: reversedShape, strides: strides)
            }
        } else {
            payload = array.bytes
        }
        if bigEndian { StridedCopy.swapByteOrder(&payload, elementSize: array.elementType.size) }
        result += payload
        return result
    }

    /// `.npy` bytes of a 1-D object array whose elements are `arrays` (NumPy's `|O` dtype, pickled payload
    /// that NumPy 1.x and 2.x read back with `allow_pickle=True`).
    public static func encode(objects arrays: [NDArray]) -> [UInt8] {
        NPYHeader.encode(descr: "|O", fortranOrder: false, shape: [arrays.count]) + NumPyPickle.encodeObjectArray(arrays)
    }
}
