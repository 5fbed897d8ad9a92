// Elementwise unary kernels on contiguous Float buffers, forward and backward side by side.
// Loops are written so LLVM vectorises them; exp-based ops (ELU, sigmoid, exp) use the SIMD
// polynomial `fastExp` (SWIFT-PERFORMANCE-NOTES.md §4: libm calls never vectorise).

/// A unary elementwise operation. Parameterised cases carry their constants.
public enum UnaryKernel: Sendable, Equatable {
    case negate, exp, log, sqrt, abs, relu, elu, sigmoid, sin, cos, square, sign
    /// y = x · scale + shift.
    case affine(scale: Float, shift: Float)
    /// y = numerator / x.
    case reciprocal(numerator: Float)
    /// y = x ^ exponent (sign-preserving only for integral exponents, like `powf`).
    case power(Float)
    /// y = min(max(x, lower), upper).
    case clamp(lower: Float, upper: Float)
}

/// Elements per parallel chunk: about 0.1 ms of simple work per chunk.
@usableFromInline let elementwiseChunk = 1 << 16

/// y[i] = op(x[i]) for i in 0..<count. `x` and `y` may be the same buffer.
public func unaryForward(_ op: UnaryKernel, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    let xs = SendablePointer(UnsafeMutablePointer(mutating: x)), ys = SendablePointer(y)
    let chunks = (count + elementwiseChunk - 1) / elementwiseChunk
    splitWork(chunks, picoseconds: count * unaryCost(op)) { chunk in
        let start = chunk * elementwiseChunk
        let n = min(elementwiseChunk, count - start)
        unaryForwardSerial(op, xs.pointer + start, ys.pointer + start, n)
    }
}

/// gradInput[i] = ∂op/∂x at x[i] (or from the output y[i]) · gradOutput[i].
/// Ops whose derivative is written in terms of the output (exp, sqrt, sigmoid, elu, relu) read `y`;
/// the others read `x`. Pass both when available.
public func unaryBackward(_ op: UnaryKernel, x: UnsafePointer<Float>?, y: UnsafePointer<Float>?,
                          gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>, count: Int) {
    let gs = SendablePointer(UnsafeMutablePointer(mutating: gradOutput)), ds = SendablePointer(gradInput)
    let xs = x.map { SendablePointer(UnsafeMutablePointer(mutating: $0)) }
    let ys = y.map { SendablePointer(UnsafeMutablePointer(mutating: $0)) }
    let chunks = (count + elementwiseChunk - 1) / elementwiseChunk
    splitWork(chunks, picoseconds: count * 3 / 2 * unaryCost(op)) { chunk in
        let start = chunk * elementwiseChunk
        let n = min(elementwiseChunk, count - start)
        unaryBackwardSerial(op, xs.map { UnsafePointer($0.pointer + start) }, ys.map { UnsafePointer($0.pointer + start) },
                            UnsafePointer(gs.pointer + start), ds.pointer + start, n)
    }
}

/// Whether `unaryBackward` for `op` reads the forward output (`y`) rather than the input (`x`).
public func unaryBackwardUsesOutput(_ op: UnaryKernel) -> Bool {
    switch op {
    case .exp, .sqrt, .sigmoid, .elu, .relu: return true
    default: return false
    }
}

/// Rough cost in picoseconds per element (SWIFT-PERFORMANCE-NOTES.md §4), for `splitWork`.
func unaryCost(_ op: UnaryKernel) -> Int {
    switch op {
    case .exp, .elu, .sigmoid: return 400
    case .log, .sin, .cos, .power: return 5000
    default: return 300
    }
}

/// A 16-lane map, as a type so `mapSIMD` is specialised per op and the body inlined (a closure
/// argument stayed an out-of-line call per vector and ran 3x slower).
protocol SIMDMap { static func apply(_ v: SIMD16<Float>) -> SIMD16<Float> }
enum ExpMap: SIMDMap {
    @inline(__always) static func apply(_ v: SIMD16<Float>) -> SIMD16<Float> { fastExp(v) }
}
enum ELUMap: SIMDMap {
    // α = 1: x > 0 ? x : exp(x) − 1
    @inline(__always) static func apply(_ v: SIMD16<Float>) -> SIMD16<Float> { (fastExp(v) - 1).replacing(with: v, where: v .> 0) }
}
enum SigmoidMap: SIMDMap {
    @inline(__always) static func apply(_ v: SIMD16<Float>) -> SIMD16<Float> { 1 / (1 + fastExp(-v)) }
}

@inline(__always)
func mapSIMD<M: SIMDMap>(_ map: M.Type, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    var i = 0
    while i + 16 <= n {
        let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(y + i).storeBytes(of: M.apply(v), as: SIMD16<Float>.self)
        i += 16
    }
    if i < n {
        var v = SIMD16<Float>(repeating: 0)
        for j in 0..<(n - i) { v[j] = x[i + j] }
        let r = M.apply(v)
        for j in 0..<(n - i) { y[i + j] = r[j] }
    }
}

func unaryForwardSerial(_ op: UnaryKernel, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    switch op {
    case .negate: for i in 0..<n { y[i] = -x[i] }
    case .abs: for i in 0..<n { y[i] = x[i].magnitude }
    case .square: for i in 0..<n { y[i] = x[i] * x[i] }
    case .relu: for i in 0..<n { let v = x[i]; y[i] = v > 0 ? v : (v.isNaN ? v : 0) }
    case .sign: for i in 0..<n { let v = x[i]; y[i] = v > 0 ? 1 : (v < 0 ? -1 : (v.isNaN ? v : 0)) }
    case .sqrt: for i in 0..<n { y[i] = x[i].squareRoot() }
    case let .affine(scale, shift): for i in 0..<n { y[i] = x[i] * scale + shift }
    case let .reciprocal(numerator): for i in 0..<n { y[i] = numerator / x[i] }
    case let .clamp(lower, upper): for i in 0..<n { let v = x[i]; y[i] = v.isNaN ? v : min(max(v, lower), upper) }
    case .exp: mapSIMD(ExpMap.self, x, y, n)
    case .elu: mapSIMD(ELUMap.self, x, y, n)
    case .sigmoid: mapSIMD(SigmoidMap.self, x, y, n)
    case .log: for i in 0..<n { y[i] = logf(x[i]) }
    case .sin: for i in 0..<n { y[i] = sinf(x[i]) }
    case .cos: for i in 0..<n { y[i] = cosf(x[i]) }
    case let .power(p):
        if p == 2 { for i in 0..<n { y[i] = x[i] * x[i] } } else if p == 1 { for i in 0..<n { y[i] = x[i] } } else {
            for i in 0..<n { y[i] = powf(x[i], p) }
        }
    }
}

func unaryBackwardSerial(_ op: UnaryKernel, _ x: UnsafePointer<Float>?, _ y: UnsafePointer<Float>?,
                         _ g: UnsafePointer<Float>, _ d: UnsafeMutablePointer<Float>, _ n: Int) {
    func input() -> UnsafePointer<Float> {
        guard let x else { preconditionFailure("unaryBackward(\(op)): needs the forward input") }
        return x
    }
    func output() -> UnsafePointer<Float> {
        guard let y else { preconditionFailure("unaryBackward(\(op)): needs the forward output") }
        return y
    }
    switch op {
    case .negate: for i in 0..<n { d[i] = -g[i] }
    case let .affine(scale, _): for i in 0..<n { d[i] = g[i] * scale }
    case .abs:
        // sign(x), 0 at 0 (torch.abs backward)
        let x = input()
        for i in 0..<n { let v = x[i]; d[i] = v > 0 ? g[i] : (v < 0 ? -g[i] : 0) }
    case .square: let x = input(); for i in 0..<n { d[i] = 2 * x[i] * g[i] }
    // From the output (as torch, which saves the ReLU result): y > 0 exactly where x > 0, so the
    // gradient is 0 at x = 0, and the saved tensor is the one the next layer keeps anyway.
    case .relu: let y = output(); for i in 0..<n { d[i] = y[i] > 0 ? g[i] : 0 }
    case .sign: for i in 0..<n { d[i] = 0 }
    case .sqrt: let y = output(); for i in 0..<n { d[i] = g[i] / (2 * y[i]) }
    case let .reciprocal(numerator):
        // d(c/x) = −c/x²
        let x = input()
        for i in 0..<n { let v = x[i]; d[i] = -numerator * g[i] / (v * v) }
    case let .clamp(lower, upper):
        // Passes the gradient where lower ≤ x ≤ upper (inclusive, as torch.clamp).
        let x = input()
        for i in 0..<n { let v = x[i]; d[i] = (v >= lower && v <= upper) ? g[i] : 0 }
    case .exp: let y = output(); for i in 0..<n { d[i] = g[i] * y[i] }
    case .elu:
        // torch elu_backward with the result: y > 0 ? g : g · (y + α)
        let y = output()
        for i in 0..<n { let v = y[i]; d[i] = v > 0 ? g[i] : g[i] * (v + 1) }
    case .sigmoid:
        // torch sigmoid_backward: g · (1 − y) · y
        let y = output()
        for i in 0..<n { let v = y[i]; d[i] = g[i] * (1 - v) * v }
    case .log: let x = input(); for i in 0..<n { d[i] = g[i] / x[i] }
    case .sin: let x = input(); for i in 0..<n { d[i] = g[i] * cosf(x[i]) }
    case .cos: let x = input(); for i in 0..<n { d[i] = -g[i] * sinf(x[i]) }
    case let .power(p):
        let x = input()
        if p == 2 { for i in 0..<n { d[i] = 2 * x[i] * g[i] } } else {
            for i in 0..<n { d[i] = g[i] * p * powf(x[i], p - 1) }
        }
    }
}

/// e^x for 16 lanes: Cephes `expf` range reduction (x = n·ln2 + r, two-part ln2) and its degree-5
/// polynomial, evaluated with FMA, then scaled by 2^n as two normal powers of two (so results
/// near FLT_MAX and subnormal results are right). About 1 ulp; below −103.97 gives 0, above
/// ln(FLT_MAX) +inf, NaN stays NaN.
@inline(__always)
public func fastExp(_ x: SIMD16<Float>) -> SIMD16<Float> {
    let maxIn: Float = 88.722_84, minIn: Float = -103.972_08
    // Blends, not pointwiseMin/Max: those stayed out-of-line per-lane loops (4% of a training step in ELU).
    let xc = x.replacing(with: maxIn, where: x .> maxIn).replacing(with: minIn, where: x .< minIn)
    // n = round(x · log2 e) via the 1.5·2^23 trick (its low mantissa bits then hold n).
    let magic = SIMD16<Float>(repeating: 12_582_912)
    let t = magic.addingProduct(xc, SIMD16(repeating: 1.442_695_04))
    let n = t - magic
    var r = xc.addingProduct(n, SIMD16(repeating: -0.693_359_375))
    r = r.addingProduct(n, SIMD16(repeating: 2.121_944_4e-4))
    var p = SIMD16<Float>(repeating: 1.987_569_15e-4)
    p = SIMD16(repeating: 1.398_199_950_7e-3).addingProduct(p, r)
    p = SIMD16(repeating: 8.333_451_907_3e-3).addingProduct(p, r)
    p = SIMD16(repeating: 4.166_579_589_4e-2).addingProduct(p, r)
    p = SIMD16(repeating: 1.666_666_545_9e-1).addingProduct(p, r)
    p = SIMD16(repeating: 5.000_000_120_1e-1).addingProduct(p, r)
    let e = (r + 1).addingProduct(p, r * r)
    // 2^n = 2^n1 · 2^n2 with n1 = ⌊n/2⌋, n2 = n − n1, each a normal float for n ∈ [−150, 128].
    let ni = unsafeBitCast(t, to: SIMD16<Int32>.self) &- unsafeBitCast(magic, to: SIMD16<Int32>.self)
    let n1 = ni &>> 1, n2 = ni &- n1
    let s1 = unsafeBitCast((n1 &+ 127) &<< 23, to: SIMD16<Float>.self)
    let s2 = unsafeBitCast((n2 &+ 127) &<< 23, to: SIMD16<Float>.self)
    var result = (e * s1) * s2
    result.replace(with: 0, where: x .< minIn)
    result.replace(with: Float.infinity, where: x .> maxIn)
    result.replace(with: x, where: x .!= x)
    return result
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
