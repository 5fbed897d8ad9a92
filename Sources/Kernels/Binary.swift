// Binary elementwise kernels with broadcasting by strides: inputs are strided views (stride 0 on
// broadcast dimensions), the output is contiguous. The innermost dimension runs in a loop
// specialised for the common stride patterns (1/1, 1/0, 0/1) so it vectorises.

/// A binary elementwise operation on Float.
public enum BinaryKernel: Sendable, Equatable {
    case add, subtract, multiply, divide, maximum, minimum
}

/// A comparison producing a mask (1 = true, 0 = false) as bytes.
public enum CompareKernel: Sendable, Equatable {
    case less, lessEqual, greater, greaterEqual, equal, notEqual
}

/// Iteration plan over an output of `shape` for inputs with `aStrides` / `bStrides` (elements):
/// dimensions of size 1 are dropped and adjacent dimensions merged where every operand allows.
public struct BroadcastPlan: Sendable {
    public var shape: [Int]
    public var aStrides: [Int]
    public var bStrides: [Int]

    public init(shape: [Int], aStrides: [Int], bStrides: [Int]) {
        precondition(shape.count == aStrides.count && shape.count == bStrides.count,
                     "BroadcastPlan: ranks \(shape.count), \(aStrides.count), \(bStrides.count)")
        var s: [Int] = [], sa: [Int] = [], sb: [Int] = []
        for d in 0..<shape.count where shape[d] != 1 {
            if let last = s.last, sa.last! == aStrides[d] * shape[d], sb.last! == bStrides[d] * shape[d] {
                s[s.count - 1] = last * shape[d]
                sa[sa.count - 1] = aStrides[d]
                sb[sb.count - 1] = bStrides[d]
            } else {
                s.append(shape[d]); sa.append(aStrides[d]); sb.append(bStrides[d])
            }
        }
        if s.isEmpty { s = [1]; sa = [0]; sb = [0] }
        self.shape = s; self.aStrides = sa; self.bStrides = sb
    }

    /// Number of output elements.
    public var count: Int { shape.reduce(1, *) }
    /// Number of innermost rows.
    @usableFromInline var rows: Int { count / shape[shape.count - 1] }

    /// Offsets of the first element of inner row `row` in a and b.
    @inlinable @inline(__always)
    func rowOffsets(_ row: Int) -> (Int, Int) {
        var r = row, oa = 0, ob = 0
        var d = shape.count - 2
        while d >= 0 {
            let i = r % shape[d]
            r /= shape[d]
            oa += i * aStrides[d]; ob += i * bStrides[d]
            d -= 1
        }
        return (oa, ob)
    }
}

/// One elementwise function of two Floats, as a type: `broadcastLoop` is specialised per function
/// and the body inlined (a closure argument stayed an out-of-line call per element).
protocol PairMap {
    associatedtype Output
    static func apply(_ x: Float, _ y: Float) -> Output
}
enum AddMap: PairMap { @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x + y } }
enum SubtractMap: PairMap { @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x - y } }
enum MultiplyMap: PairMap { @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x * y } }
enum DivideMap: PairMap { @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x / y } }
// NaN-propagating like torch.maximum/minimum.
enum MaximumMap: PairMap {
    @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { (x.isNaN || y.isNaN) ? .nan : max(x, y) }
}
enum MinimumMap: PairMap {
    @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { (x.isNaN || y.isNaN) ? .nan : min(x, y) }
}
enum LessMap: PairMap { @inline(__always) static func apply(_ x: Float, _ y: Float) -> UInt8 { x < y ? 1 : 0 } }
enum LessEqualMap: PairMap { @inline(__always) static func apply(_ x: Float, _ y: Float) -> UInt8 { x <= y ? 1 : 0 } }
enum GreaterMap: PairMap { @inline(__always) static func apply(_ x: Float, _ y: Float) -> UInt8 { x > y ? 1 : 0 } }
enum GreaterEqualMap: PairMap { @inline(__always) static func apply(_ x: Float, _ y: Float) -> UInt8 { x >= y ? 1 : 0 } }
enum EqualMap: PairMap { @inline(__always) static func apply(_ x: Float, _ y: Float) -> UInt8 { x == y ? 1 : 0 } }
enum NotEqualMap: PairMap { @inline(__always) static func apply(_ x: Float, _ y: Float) -> UInt8 { x != y ? 1 : 0 } }

@inline(__always)
func broadcastLoop<M: PairMap>(_ plan: BroadcastPlan, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                               _ out: UnsafeMutablePointer<M.Output>, _: M.Type) {
    let n = plan.shape[plan.shape.count - 1]
    let sa = plan.aStrides[plan.shape.count - 1], sb = plan.bStrides[plan.shape.count - 1]
    let rows = plan.rows
    let rowsPerChunk = max(1, (1 << 16) / max(n, 1))
    let chunks = (rows + rowsPerChunk - 1) / rowsPerChunk
    let outs = SendablePointer(out)
    let ap = SendablePointer(UnsafeMutablePointer(mutating: a)), bp = SendablePointer(UnsafeMutablePointer(mutating: b))
    splitWork(chunks, picoseconds: plan.count * 400) { chunk in
        let rowEnd = min(rows, (chunk + 1) * rowsPerChunk)
        for row in (chunk * rowsPerChunk)..<rowEnd {
            let (oa, ob) = plan.rowOffsets(row)
            let x = UnsafePointer(ap.pointer + oa), y = UnsafePointer(bp.pointer + ob)
            let o = outs.pointer + row * n
            if sa == 1 && sb == 1 {
                for i in 0..<n { o[i] = M.apply(x[i], y[i]) }
            } else if sa == 1 && sb == 0 {
                let c = y[0]
                for i in 0..<n { o[i] = M.apply(x[i], c) }
            } else if sa == 0 && sb == 1 {
                let c = x[0]
                for i in 0..<n { o[i] = M.apply(c, y[i]) }
            } else {
                for i in 0..<n { o[i] = M.apply(x[i &* sa], y[i &* sb]) }
            }
        }
    }
}

/// out (contiguous, `plan.count` elements) = op(a, b) over the broadcast plan.
public func binaryForward(_ op: BinaryKernel, _ plan: BroadcastPlan, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                          out: UnsafeMutablePointer<Float>) {
    switch op {
    case .add: broadcastLoop(plan, a, b, out, AddMap.self)
    case .subtract: broadcastLoop(plan, a, b, out, SubtractMap.self)
    case .multiply: broadcastLoop(plan, a, b, out, MultiplyMap.self)
    case .divide: broadcastLoop(plan, a, b, out, DivideMap.self)
    case .maximum: broadcastLoop(plan, a, b, out, MaximumMap.self)
    case .minimum: broadcastLoop(plan, a, b, out, MinimumMap.self)
    }
}

/// out (contiguous bytes, 1 = true) = a ⋄ b over the broadcast plan.
public func compareForward(_ op: CompareKernel, _ plan: BroadcastPlan, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                           out: UnsafeMutablePointer<UInt8>) {
    switch op {
    case .less: broadcastLoop(plan, a, b, out, LessMap.self)
    case .lessEqual: broadcastLoop(plan, a, b, out, LessEqualMap.self)
    case .greater: broadcastLoop(plan, a, b, out, GreaterMap.self)
    case .greaterEqual: broadcastLoop(plan, a, b, out, GreaterEqualMap.self)
    case .equal: broadcastLoop(plan, a, b, out, EqualMap.self)
    case .notEqual: broadcastLoop(plan, a, b, out, NotEqualMap.self)
    }
}

/// dst += src over a plan whose a-strides are the destination's and b-strides the source's (a
/// strided destination view, e.g. one slice of a gradient; its elements must be distinct).
public func addInPlace(_ plan: BroadcastPlan, dst: UnsafeMutablePointer<Float>, src: UnsafePointer<Float>) {
    let n = plan.shape[plan.shape.count - 1]
    let sa = plan.aStrides[plan.shape.count - 1], sb = plan.bStrides[plan.shape.count - 1]
    let rows = plan.rows
    let rowsPerChunk = max(1, (1 << 16) / max(n, 1))
    let chunks = (rows + rowsPerChunk - 1) / rowsPerChunk
    let d = SendablePointer(dst), s = SendablePointer(UnsafeMutablePointer(mutating: src))
    splitWork(chunks, picoseconds: plan.count * 400) { chunk in
        for row in (chunk * rowsPerChunk)..<min(rows, (chunk + 1) * rowsPerChunk) {
            let (od, os) = plan.rowOffsets(row)
            let o = d.pointer + od, x = s.pointer + os
            if sa == 1 && sb == 1 {
                for i in 0..<n { o[i] += x[i] }
            } else {
                for i in 0..<n { o[i &* sa] += x[i &* sb] }
            }
        }
    }
}

/// dst[i] += src[i] for contiguous buffers (gradient accumulation).
public func addInPlace(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, count: Int) {
    let d = SendablePointer(dst), s = SendablePointer(UnsafeMutablePointer(mutating: src))
    let chunks = (count + elementwiseChunk - 1) / elementwiseChunk
    splitWork(chunks, picoseconds: count * 400) { chunk in
        let start = chunk * elementwiseChunk
        let n = min(elementwiseChunk, count - start)
        let o = d.pointer + start, x = s.pointer + start
        for i in 0..<n { o[i] += x[i] }
    }
}

/// out[i] = mask[i] != 0 ? a[i] : b[i] over a three-operand broadcast (a, b strided; mask strided bytes).
public func selectForward(shape: [Int], mask: UnsafePointer<UInt8>, maskStrides: [Int],
                          a: UnsafePointer<Float>, aStrides: [Int], b: UnsafePointer<Float>, bStrides: [Int],
                          out: UnsafeMutablePointer<Float>) {
    let count = shape.reduce(1, *)
    if count == 0 { return }
    var index = [Int](repeating: 0, count: shape.count)
    var om = 0, oa = 0, ob = 0
    for i in 0..<count {
        out[i] = mask[om] != 0 ? a[oa] : b[ob]
        var d = shape.count - 1
        while d >= 0 {
            index[d] += 1; om += maskStrides[d]; oa += aStrides[d]; ob += bStrides[d]
            if index[d] < shape[d] { break }
            om -= maskStrides[d] * shape[d]; oa -= aStrides[d] * shape[d]; ob -= bStrides[d] * shape[d]
            index[d] = 0
            d -= 1
        }
    }
}
