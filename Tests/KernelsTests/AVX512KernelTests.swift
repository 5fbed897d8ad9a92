import XCTest
@testable import Kernels

/// The AVX-512 kernels against the SIMD8 (AVX2) kernels in one process, and both against the
/// double-precision / naive references with the tolerances of GEMMTests and Conv2dTests. Both
/// paths accumulate every C element as one FMA chain over the same depth blocks (kc depends on k
/// only), and the full-tile store and the edge-tile merge compute the same value when beta is 0 or
/// a power of two (GEMMTests.testTileEdgesDoNotChangeTheBits checks that on any CPU), so the
/// results must be bitwise identical: every convolution (alpha 1, beta 0 or 1) and every SGEMM with
/// such a beta. SGEMM with another beta (0.3) is not: a full tile fuses beta·C into one FMA, an edge
/// tile merges alpha·acc + beta·C with two roundings, and the paths cut tiles at different rows and
/// columns (6×16 vs 8×32), so such elements may differ in the last bit (README, "CPU kernels").
/// Skipped, with the reason, where the CPU or the OS lacks AVX-512.
final class AVX512KernelTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(KernelDispatch.avx512Supported,
                          "this CPU (or its OS) lacks AVX-512 F/CD/BW/DQ/VL with zmm state: the AVX-512 kernels cannot run here (\(KernelDispatch.summary))")
    }

    func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2_000_000) / 1_000_000 - 1
        }
    }

    /// Elements that differ bitwise, and the worst |a − b| / (1 + max|b|).
    func compare(_ a: [Float], _ b: [Float]) -> (differing: Int, worst: Float) {
        let magnitude = b.reduce(Float(0)) { max($0, abs($1)) }
        var differing = 0, worst: Float = 0
        for i in 0..<min(a.count, b.count) where a[i].bitPattern != b[i].bitPattern {
            differing += 1
            let e = abs(a[i] - b[i]) / (1 + magnitude)
            worst = e.isNaN ? .infinity : max(worst, e)
        }
        return (differing + abs(a.count - b.count), worst)
    }

    struct GEMMCase {
        var m, n, k: Int
        var transposeA = false, transposeB = false
        var alpha: Float = 1, beta: Float = 0
    }

    func run(_ t: GEMMCase, _ isa: KernelISA) -> [Float] {
        let lda = t.transposeA ? t.m : t.k, ldb = t.transposeB ? t.k : t.n
        let a = values(t.m * t.k, seed: 1), b = values(t.k * t.n, seed: 2)
        var c = values(t.m * t.n, seed: 3)
        sgemm(transposeA: t.transposeA, transposeB: t.transposeB, m: t.m, n: t.n, k: t.k, alpha: t.alpha,
              a: a, lda: lda, b: b, ldb: ldb, beta: t.beta, c: &c, ldc: t.n, isa: isa)
        return c
    }

    /// Every driver path: packed (pairs of panels, a lone last panel, edge rows and columns), the
    /// small-A path, A rows read in place (narrow B), transposed output, several depth blocks.
    func testSGEMMAgreesWithAVX2Path() {
        var cases: [GEMMCase] = []
        for (m, n, k) in [(1, 1, 1), (7, 13, 5), (8, 32, 8), (8, 48, 3), (9, 33, 17), (97, 61, 300), (61, 97, 129),
                          (33, 40, 800), (130, 120, 70), (64, 2000, 147), (70, 1100, 40), (300, 200, 1100),
                          (512, 120, 600), (64, 576, 900), (257, 255, 64)] {
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                cases.append(GEMMCase(m: m, n: n, k: k, transposeA: ta, transposeB: tb))
            }
        }
        cases.append(GEMMCase(m: 97, n: 61, k: 300, alpha: 0.5, beta: 1))
        cases.append(GEMMCase(m: 130, n: 120, k: 70, alpha: -1.5, beta: 0.25))
        cases.append(GEMMCase(m: 64, n: 2000, k: 700, alpha: 2, beta: -1))
        cases.append(GEMMCase(m: 130, n: 120, k: 70, alpha: 1, beta: 0.3))
        var bitwise = 0
        for t in cases {
            let simd8 = run(t, .avx2), avx512 = run(t, .avx512)
            let (differing, worst) = compare(avx512, simd8)
            if differing == 0 { bitwise += 1 }
            if t.beta == 0 || t.beta.significandBitPattern == 0 {  // 0, ±1, 0.25, ...: beta·C is exact
                XCTAssertEqual(differing, 0, "\(t): AVX-512 vs AVX2 must be bitwise identical (worst \(worst))")
            } else {
                // Edge-tile merges round twice where full tiles fuse (see above): a last-bit difference.
                XCTAssertLessThanOrEqual(worst, 1e-6, "\(t): \(differing) elements differ")
            }
        }
        print("AVX512KernelTests: SGEMM \(bitwise)/\(cases.count) cases bitwise identical to the AVX2 path")
    }

    func geometry(_ batch: Int, _ cin: Int, _ h: Int, _ w: Int, _ cout: Int, k: Int, s: Int = 1, p: Int = 0) -> Conv2dGeometry {
        Conv2dGeometry(batch: batch, inChannels: cin, inHeight: h, inWidth: w, outChannels: cout,
                       kernelHeight: k, kernelWidth: k, strideY: s, strideX: s, padY: p, padX: p)
    }

    /// Forward (shifted, im2col, pointwise), input gradient (stride 1 and by phases) and weight
    /// gradient on both paths, against each other and against the reference loops.
    func testConvolutionsAgreeWithAVX2Path() {
        let geometries = [
            geometry(1, 5, 24, 50, 7, k: 3, p: 1),      // shifted: short last row tile, partial pairs
            geometry(2, 4, 20, 64, 10, k: 3, p: 1),
            geometry(1, 2, 18, 70, 16, k: 3, p: 2),
            geometry(2, 3, 16, 80, 1, k: 3, p: 1),      // Cout = 1
            geometry(1, 64, 20, 52, 10, k: 3, p: 1),    // two depth blocks
            geometry(1, 16, 24, 96, 64, k: 3, p: 1),    // layer1-like, 8-row tiles exactly
            geometry(1, 40, 16, 16, 70, k: 3, s: 2, p: 1),
            geometry(2, 48, 17, 40, 24, k: 3, p: 1),
            geometry(1, 3, 40, 64, 16, k: 7, s: 2, p: 3),
            geometry(1, 24, 12, 20, 40, k: 1),          // pointwise
            geometry(1, 16, 32, 40, 24, k: 3, p: 1),    // small-A GEMM
        ]
        var bitwise = 0, results = 0
        for g in geometries {
            let inputCount = g.batch * g.inChannels * g.inHeight * g.inWidth
            let weightCount = g.outChannels * g.inChannels * g.kernelHeight * g.kernelWidth
            let outputCount = g.batch * g.outChannels * g.outHeight * g.outWidth
            let input = values(inputCount, seed: 11), weight = values(weightCount, seed: 12)
            let bias = values(g.outChannels, seed: 13), gradOutput = values(outputCount, seed: 14)
            var reference = [Float](repeating: 0, count: outputCount)
            var referenceInput = [Float](repeating: 0, count: inputCount), referenceWeight = [Float](repeating: 0, count: weightCount)
            referenceConv2dForward(g, input: input, weight: weight, bias: bias, output: &reference)
            referenceConv2dBackwardInput(g, gradOutput: gradOutput, weight: weight, gradInput: &referenceInput)
            referenceConv2dBackwardWeight(g, input: input, gradOutput: gradOutput, gradWeight: &referenceWeight, gradBias: nil)
            var outputs: [[[Float]]] = []
            for isa in [KernelISA.avx2, .avx512] {
                var output = [Float](repeating: .nan, count: outputCount)
                var gradInput = [Float](repeating: .nan, count: inputCount), gradWeight = [Float](repeating: .nan, count: weightCount)
                conv2dForward(g, input: input, weight: weight, bias: bias, output: &output, isa: isa)
                conv2dBackwardInput(g, gradOutput: gradOutput, weight: weight, gradInput: &gradInput, isa: isa)
                conv2dBackwardWeight(g, input: input, gradOutput: gradOutput, gradWeight: &gradWeight, gradBias: nil, isa: isa)
                // Conv2dTests' tolerance: 2e-5 · (1 + max|reference|).
                for (what, actual, expected) in [("forward", output, reference), ("input gradient", gradInput, referenceInput),
                                                 ("weight gradient", gradWeight, referenceWeight)] {
                    let magnitude = expected.reduce(Float(0)) { max($0, abs($1)) }
                    let worst = zip(actual, expected).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
                    XCTAssertLessThanOrEqual(worst, 2e-5 * (1 + magnitude), "\(isa) \(what) \(g) vs reference")
                }
                outputs.append([output, gradInput, gradWeight])
            }
            for (i, what) in ["forward", "input gradient", "weight gradient"].enumerated() {
                let (differing, worst) = compare(outputs[1][i], outputs[0][i])
                results += 1
                if differing == 0 { bitwise += 1 }
                XCTAssertEqual(differing, 0, "\(what) \(g): AVX-512 vs AVX2 must be bitwise identical (worst \(worst))")
            }
        }
        print("AVX512KernelTests: convolutions \(bitwise)/\(results) results bitwise identical to the AVX2 path")
    }

    /// The direct few-channel convolution (decoder heads): 6-channel blocks and Cout = 1, rows
    /// narrower and wider than the AVX-512 step, on both paths and against the reference.
    func testDirectConvolutionAgreesWithAVX2Path() {
        var bitwise = 0, results = 0
        for (cin, h, w, cout, k) in [(5, 9, 40, 7, 3), (3, 6, 70, 16, 3), (4, 5, 36, 1, 3), (2, 7, 90, 1, 3),
                                     (8, 6, 21, 12, 3), (3, 8, 50, 6, 1), (6, 12, 140, 32, 3)] {
            let g = geometry(1, cin, h, w, cout, k: k)
            let input = values(cin * h * w, seed: 21), weight = values(cout * cin * k * k, seed: 22)
            let bias = values(cout, seed: 23)
            var reference = [Float](repeating: 0, count: cout * g.outHeight * g.outWidth)
            referenceConv2dForward(g, input: input, weight: weight, bias: bias, output: &reference)
            var outputs: [[Float]] = []
            for isa in [KernelISA.avx2, .avx512] {
                var output = [Float](repeating: .nan, count: reference.count)
                directConv2d(input: input, channels: cin, height: h, width: w, kernel: k, weight: weight, bias: bias,
                             outChannels: cout, activation: .identity, output: &output, isa: isa)
                let magnitude = reference.reduce(Float(0)) { max($0, abs($1)) }
                let worst = zip(output, reference).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
                XCTAssertLessThanOrEqual(worst, 2e-5 * (1 + magnitude), "\(isa) direct \(g) vs reference")
                outputs.append(output)
            }
            let (differing, worst) = compare(outputs[1], outputs[0])
            results += 1
            if differing == 0 { bitwise += 1 }
            XCTAssertEqual(differing, 0, "direct \(g): AVX-512 vs AVX2 must be bitwise identical (worst \(worst))")
        }
        print("AVX512KernelTests: direct convolutions \(bitwise)/\(results) results bitwise identical to the AVX2 path")
    }
}

/// The dispatch itself (runs everywhere).
final class KernelDispatchTests: XCTestCase {
    func testNeverPicksAVX512WithoutIt() {
        print("KernelDispatch: \(KernelDispatch.summary)")
        if !KernelDispatch.avx512Supported {
            XCTAssertEqual(KernelDispatch.gemm, .avx2)
            XCTAssertEqual(KernelDispatch.directConv, .avx2)
        }
    }

    /// The first-use measurement runs and reports a plausible ratio (it decides only on CPUs the
    /// table does not know; printed here so a run shows what this CPU would get).
    func testCalibrationMeasures() throws {
        try XCTSkipUnless(KernelDispatch.avx512Supported, "no AVX-512: nothing to measure")
        let ratio = KernelCalibration.avx512SpeedRatio()
        print("KernelCalibration: AVX-512 8x32 tile / SIMD8 6x16 tile flop rate = \(ratio)")
        XCTAssertGreaterThan(ratio, 0.1)
        XCTAssertLessThan(ratio, 20)
    }

    func testEnvironmentForcesAVX2() {
        guard let text = getenv("MD2_KERNELS"), String(cString: text) == "avx2" else { return }
        XCTAssertEqual(KernelDispatch.gemm, .avx2)
        XCTAssertEqual(KernelDispatch.directConv, .avx2)
    }
}
