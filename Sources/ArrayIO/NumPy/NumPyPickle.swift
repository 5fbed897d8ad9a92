/// Pickled NumPy arrays, as `np.save` writes the payload of an object (`|O`) array: the ragged
/// ground-truth files (`gt_depths.npz`, key `data`) are 1-D object arrays of float32 maps.
///
/// Layout (NumPy 2.x, protocol 4, and NumPy 1.x, protocol 3, read alike):
/// `_reconstruct(ndarray, (0,), b'b')` BUILD `(1, shape, dtype, is_fortran, payload)` where `dtype` is
/// `dtype(code, False, True)` BUILD `(3, byteorder, None, None, None, -1, -1, flags)` and `payload` is
/// the raw element bytes, or for an object array a list of such arrays.
enum NumPyPickle {
    static let allowedGlobals: Set<String> = [
        "numpy._core.multiarray._reconstruct", "numpy.core.multiarray._reconstruct",
        "numpy.ndarray", "numpy.dtype", "_codecs.encode",
    ]

    /// Decodes the pickle payload of an object array whose elements are numeric arrays.
    static func decodeObjectArray(_ payload: [UInt8], file: String) throws(ArrayIOError) -> [NDArray] {
        let (value, _) = try PickleReader.parse(payload, file: file, allowedGlobals: allowedGlobals)
        let outer = try parts(of: value, file: file)
        guard outer.dataType == .object else { throw ArrayIOError(file: file, "object array pickle holds a numeric array") }
        guard !outer.fortranOrder || outer.shape.count <= 1 else {
            throw ArrayIOError(file: file, "Fortran-ordered multi-dimensional object arrays are not supported")
        }
        guard case .list(let elements) = outer.payload, elements.count == outer.shape.reduce(1, *) else {
            throw ArrayIOError(file: file, "object array payload is not a list of \(outer.shape.reduce(1, *)) elements")
        }
        var arrays: [NDArray] = []
        arrays.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            let inner: Parts
            do { inner = try parts(of: element, file: file) } catch {
                throw ArrayIOError(file: file, "object array element \(index): \(error.problem)")
            }
            guard case .element(let type, let bigEndian) = inner.dataType else {
                throw ArrayIOError(file: file, "object array element \(index) is itself an object array")
            }
            let bytes = try rawBytes(inner.payload, file: file)
            let count = inner.shape.reduce(1, *)
            guard bytes.count == count * type.size else {
                throw ArrayIOError(file: file, "object array element \(index): \(bytes.count) bytes for shape \(inner.shape) of \(type)")
            }
            arrays.append(try NPY.makeArray(bytes, start: 0, type: type, bigEndian: bigEndian,
                                            fortranOrder: inner.fortranOrder, shape: inner.shape))
        }
        return arrays
    }

    private struct Parts {
        var shape: [Int]
        var dataType: NPYDataType
        var fortranOrder: Bool
        var payload: PickleValue
    }

    /// Checks the `_reconstruct` + BUILD pattern of one pickled ndarray and returns its pieces.
    private static func parts(of value: PickleValue, file: String) throws(ArrayIOError) -> Parts {
        func bad(_ problem: String) -> ArrayIOError { ArrayIOError(file: file, "not a pickled NumPy array: \(problem)") }
        guard case .object(let object) = value,
              object.callableName == "numpy._core.multiarray._reconstruct" || object.callableName == "numpy.core.multiarray._reconstruct"
        else { throw bad("expected numpy _reconstruct") }
        guard object.arguments.first?.globalName == "numpy.ndarray" else { throw bad("not an ndarray") }
        guard case .tuple(var state)? = object.state, state.count == 4 || state.count == 5 else { throw bad("bad array state") }
        if state.count == 5 { state.removeFirst() }  // version number
        guard case .tuple(let dims) = state[0] else { throw bad("bad shape") }
        var shape: [Int] = []
        var total = 1
        for dim in dims {
            guard case .int(let size) = dim, size >= 0 else { throw bad("bad dimension") }
            let (product, overflow) = total.multipliedReportingOverflow(by: size)
            guard !overflow, product <= NPYHeader.maximumElements else { throw bad("absurd shape") }
            total = product
            shape.append(size)
        }
        guard case .bool(let fortranOrder) = state[2] else { throw bad("bad Fortran flag") }
        return Parts(shape: shape, dataType: try dataType(state[1], file: file), fortranOrder: fortranOrder, payload: state[3])
    }

    /// A pickled `numpy.dtype`: `dtype('f4', False, True)` with byte order in its BUILD state.
    private static func dataType(_ value: PickleValue, file: String) throws(ArrayIOError) -> NPYDataType {
        guard case .object(let object) = value, object.callableName == "numpy.dtype",
              case .string(let code)? = object.arguments.first else {
            throw ArrayIOError(file: file, "not a pickled NumPy array: bad dtype")
        }
        var order = "|"
        if case .tuple(let state)? = object.state, state.count >= 2, case .string(let byteOrder) = state[1] { order = byteOrder }
        guard let type = NPYHeader.dataType(of: order + code) else {
            throw ArrayIOError(file: file, "unsupported dtype '\(order)\(code)' in pickled array")
        }
        return type
    }

    /// Element bytes: `bytes` (protocol 3+), or `_codecs.encode(text, 'latin1')` (protocol 2).
    private static func rawBytes(_ value: PickleValue, file: String) throws(ArrayIOError) -> [UInt8] {
        switch value {
        case .bytes(let bytes): return bytes
        case .object(let object) where object.callableName == "_codecs.encode":
            guard object.arguments.count == 2, case .string(let text) = object.arguments[0],
                  case .string(let encoding) = object.arguments[1], encoding == "latin1" || encoding == "latin-1" else {
                throw ArrayIOError(file: file, "unsupported _codecs.encode payload in pickled array")
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.unicodeScalars.count)
            for scalar in text.unicodeScalars {
                guard scalar.value < 256 else { throw ArrayIOError(file: file, "latin-1 payload holds a character above U+00FF") }
                bytes.append(UInt8(scalar.value))
            }
            return bytes
        default:
            throw ArrayIOError(file: file, "pickled array payload is not raw bytes")
        }
    }

    /// Pickle (protocol 4) of a 1-D object array of `arrays`, as NumPy writes it, with the
    /// `numpy.core.multiarray._reconstruct` spelling that NumPy 1.x and 2.x both resolve.
    static func encodeObjectArray(_ arrays: [NDArray]) -> [UInt8] {
        let inner = arrays.map { array in
            pickledArray(shape: array.shape, code: NPYHeader.descr(of: array.elementType).dropFirst(), order: array.elementType.size == 1 ? "|" : "<",
                         flags: 0, payload: .bytes(array.bytes))
        }
        let outer = pickledArray(shape: [arrays.count], code: "O8", order: "|", flags: 63, payload: .list(inner))
        return PickleWriter.encode(outer, protocol: 4)
    }

    private static func pickledArray(shape: [Int], code: Substring, order: String, flags: Int, payload: PickleValue) -> PickleValue {
        let dtype = PickleValue.object(PickleObject(
            callable: .global(module: "numpy", name: "dtype"), arguments: [.string(String(code)), .bool(false), .bool(true)],
            state: .tuple([.int(3), .string(order), .none, .none, .none, .int(-1), .int(-1), .int(flags)])))
        return .object(PickleObject(
            callable: .global(module: "numpy.core.multiarray", name: "_reconstruct"),
            arguments: [.global(module: "numpy", name: "ndarray"), .tuple([.int(0)]), .bytes([0x62])],
            state: .tuple([.int(1), .tuple(shape.map { .int($0) }), dtype, .bool(false), payload])))
    }
}
