import XCTest
@testable import Kernels

/// sgemm against a double-precision triple loop. Tolerance: |err| ≤ 1e-5·(Σ|a·b| + |beta·c|) + 1e-6
/// per element, i.e. float32 rounding of a k-term sum (relative to the magnitudes summed).
final class GEMMTests: XCTestCase {
    struct Case {
        var m, n, k: Int
        var transposeA = false, transposeB = false
        var alpha: Float = 1, beta: Float = 0
        var padA = 0, padB = 0, padC = 0
    }

    /// Deterministic pseudo-random values in [-1, 1).
    func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2_000_000) / 1_000_000 - 1
        }
    }

    func check(_ t: Case, cInitial: Float? = nil, file: StaticString = #filePath, line: UInt = #line) {
        let aRows = t.transposeA ? t.k : t.m, aCols = t.transposeA ? t.m : t.k
        let bRows = t.transposeB ? t.n : t.k, bCols = t.transposeB ? t.k : t.n
        let lda = aCols + t.padA, ldb = bCols + t.padB, ldc = t.n + t.padC
        let a = values(max(1, aRows * lda), seed: 1), b = values(max(1, bRows * ldb), seed: 2)
        var c = cInitial.map { [Float](repeating: $0, count: max(1, t.m * ldc)) } ?? values(max(1, t.m * ldc), seed: 3)
        let c0 = c
        sgemm(transposeA: t.transposeA, transposeB: t.transposeB, m: t.m, n: t.n, k: t.k, alpha: t.alpha,
              a: a, lda: lda, b: b, ldb: ldb, beta: t.beta, c: &c, ldc: ldc)
        var failures = 0
        for i in 0..<t.m {
            for j in 0..<ldc {
                let index = i * ldc + j
                if j >= t.n {  // padding columns must be untouched
                    if c[index].bitPattern != c0[index].bitPattern { failures += 1 }
                    continue
                }
                var sum = 0.0, magnitude = 0.0
                for p in 0..<t.k {
                    let av = Double(t.transposeA ? a[p * lda + i] : a[i * lda + p])
                    let bv = Double(t.transposeB ? b[j * ldb + p] : b[p * ldb + j])
                    sum += av * bv; magnitude += abs(av * bv)
                }
                var expected = Double(t.alpha) * sum
                if t.beta != 0 { expected += Double(t.beta) * Double(c0[index]) }
                let betaTerm = t.beta == 0 ? 0 : abs(Double(t.beta) * Double(c0[index]))
                let bound = 1e-5 * (abs(Double(t.alpha)) * magnitude + betaTerm) + 1e-6
                if !(abs(Double(c[index]) - expected) <= bound) {
                    if failures < 3 { XCTFail("\(t) C[\(i),\(j)] = \(c[index]), expected \(expected)", file: file, line: line) }
                    failures += 1
                }
            }
        }
        XCTAssertEqual(failures, 0, "\(t)", file: file, line: line)
    }

    let shapes: [(Int, Int, Int)] = [(1, 1, 1), (7, 13, 5), (6, 16, 8), (12, 32, 3), (97, 61, 300),
                                     (5, 17, 33), (61, 97, 129), (33, 40, 800), (130, 120, 70)]

    /// What makes the AVX-512 path bitwise equal to this one (AVX512KernelTests, README "CPU
    /// kernels"): an element's bits do not depend on where the register tiles end (6×16 here, 8×32
    /// there; full tiles store from the registers, edge tiles merge from a scratch tile, and the
    /// small-A / in-place-rows paths are chosen by shape) when beta is 0 or a power of two (±1, 0.25:
    /// beta·C is exact, so the full tile's FMA and the edge tile's multiply-add round alike). The
    /// leading rows and columns of each product are computed again as smaller problems, whose tiles
    /// end elsewhere. (With beta = 0.3, say, about 1% of such elements differ in the last bit.)
    func testTileEdgesDoNotChangeTheBits() {
        for (m, n, k) in [(130, 120, 70), (97, 61, 300), (64, 2000, 147), (33, 40, 800), (20, 1100, 40)] {
            for (transposeA, transposeB) in [(false, false), (true, true)] {
                for (alpha, beta) in [(Float(1), Float(0)), (0.5, 1), (0.3, 1), (-1.5, 0), (2, 1), (-1.5, 0.25), (2, -1)] {
                    let lda = transposeA ? m : k, ldb = transposeB ? k : n
                    let a = values(m * k, seed: 1), b = values(k * n, seed: 2), c0 = values(m * n, seed: 3)
                    var whole = c0
                    sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                          a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: &whole, ldc: n)
                    for (rows, columns) in [(m - 1, n), (m, n - 1), (m - 3, n - 9), (max(1, m / 8 * 8 - 2), n / 32 * 32 + 16),
                                            (max(1, m / 6 * 6 + 2), max(1, n / 16 * 16 - 5))] where rows <= m && columns <= n {
                        var part = c0
                        sgemm(transposeA: transposeA, transposeB: transposeB, m: rows, n: columns, k: k, alpha: alpha,
                              a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: &part, ldc: n)
                        var differing = 0
                        for i in 0..<rows {
                            for j in 0..<columns where part[i * n + j].bitPattern != whole[i * n + j].bitPattern { differing += 1 }
                        }
                        XCTAssertEqual(differing, 0, "\(m)x\(n)x\(k) tA \(transposeA) tB \(transposeB) alpha \(alpha) beta \(beta): "
                                       + "the leading \(rows)x\(columns) computed alone")
                    }
                }
            }
        }
    }

    func testAllTransposeCombinations() {
        for (m, n, k) in shapes {
            for ta in [false, true] {
                for tb in [false, true] { check(Case(m: m, n: n, k: k, transposeA: ta, transposeB: tb)) }
            }
        }
    }

    func testLeadingDimensionsLargerThanWidth() {
        for ta in [false, true] {
            for tb in [false, true] {
                check(Case(m: 37, n: 29, k: 41, transposeA: ta, transposeB: tb, padA: 3, padB: 5, padC: 7))
            }
        }
    }

    func testAlphaBeta() {
        for (alpha, beta) in [(Float(2.5), Float(0)), (1, 1), (-0.5, 0.75), (1, -2), (0, 0.5), (0, 0)] {
            check(Case(m: 23, n: 45, k: 67, alpha: alpha, beta: beta))
            check(Case(m: 45, n: 23, k: 800, transposeA: true, alpha: alpha, beta: beta, padC: 2))
        }
    }

    /// beta == 0 must overwrite C without reading it, even where C holds NaN or infinity.
    func testBetaZeroIgnoresNaN() {
        for (m, n, k) in [(7, 13, 5), (97, 61, 300), (120, 512, 64), (64, 200, 1000)] {
            check(Case(m: m, n: n, k: k, beta: 0), cInitial: .nan)
            check(Case(m: m, n: n, k: k, transposeB: true, beta: 0), cInitial: .infinity)
        }
        check(Case(m: 5, n: 6, k: 0, beta: 0), cInitial: .nan)  // k == 0: C = 0
    }

    /// Large enough to take the multithreaded, multi-block paths (k > kc, n > 16 panels, both
    /// thread splits, transposed problem for n = 120).
    func testThreadedBlockedShapes() {
        check(Case(m: 64, n: 700, k: 900))
        check(Case(m: 300, n: 120, k: 450, beta: 1))
        check(Case(m: 64, n: 100, k: 2000, transposeB: true))
        check(Case(m: 200, n: 150, k: 64, transposeA: true))
        // Small-A path (A packed whole, n ≥ 1024): edge rows and columns, several depth blocks.
        check(Case(m: 20, n: 1100, k: 500, beta: 0.5))
        check(Case(m: 13, n: 1031, k: 300, transposeA: true, transposeB: true))
        check(Case(m: 10, n: 1040, k: 400, alpha: 2, beta: 1))  // 4-row tail kernel (10 = 6 + 4)
    }

    /// Concurrent sgemm calls from several threads (each then runs inline, with its own workspace
    /// buffers) give the same bits as one call alone.
    func testConcurrentCallsAgreeWithSequential() {
        let m = 70, n = 1100, k = 90
        let a = values(m * k, seed: 5), b = values(k * n, seed: 6)
        var expected = [Float](repeating: 0, count: m * n)
        sgemm(transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n,
              beta: 0, c: &expected, ldc: n)
        let results = UnsafeMutablePointer<Float>.allocate(capacity: 4 * m * n)
        defer { results.deallocate() }
        let out = SendablePointer(results)
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    sgemm(transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 1, a: ap.baseAddress!, lda: k,
                          b: bp.baseAddress!, ldb: n, beta: 0, c: out.pointer + t * m * n, ldc: n)
                }
            }
        }
        for t in 0..<4 {
            let mismatches = (0..<(m * n)).filter { results[t * m * n + $0].bitPattern != expected[$0].bitPattern }.count
            XCTAssertEqual(mismatches, 0, "thread \(t)")
        }
    }

    func testDegenerateSizes() {
        var c: [Float] = [1, 2, 3]
        let a: [Float] = [1], b: [Float] = [1]
        sgemm(transposeA: false, transposeB: false, m: 0, n: 3, k: 1, alpha: 1, a: a, lda: 1, b: b, ldb: 3,
              beta: 0, c: &c, ldc: 3)
        XCTAssertEqual(c, [1, 2, 3])
        check(Case(m: 3, n: 4, k: 0, beta: 2))
    }
}
