import Networks
import TensorCore
import TestSupport
import XCTest

/// The inference-only fused ops (TensorCore/Ops/FusedInference.swift, Kernels/ConvFused.swift,
/// DirectConv.swift, InferencePooling.swift) against the plain ops they replace.
final class FusedOpsTests: XCTestCase {
    func reference(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: Int, padding: Int, reflect: Int, residual: Tensor?,
                   _ activation: FusedActivation) -> Tensor {
        var y = conv2d(reflect > 0 ? reflectionPad2d(x, padding: reflect) : x, weight: w, bias: b, stride: stride, padding: padding)
        if let residual { y = y + residual }
        switch activation {
        case .identity: return y
        case .relu: return y.relu()
        case .elu: return y.elu()
        case .sigmoid: return y.sigmoid()
        }
    }

    /// Direct path (few output channels, reflection padding; partial channel blocks, overlapping
    /// last pixel blocks) and GEMM path (wide outputs, zero padding, strides, residuals).
    func testFusedConvolutionMatchesPlainOps() {
        var rng = RandomGenerator(seed: 31)
        let cases: [(n: Int, cin: Int, cout: Int, h: Int, w: Int, k: Int, stride: Int, pad: Int, reflect: Int, residual: Bool,
                     act: FusedActivation)] = [
            (2, 16, 1, 9, 40, 3, 1, 0, 1, false, .sigmoid),   // 1-channel direct kernel, overlap at 40
            (1, 5, 1, 4, 32, 3, 1, 0, 1, false, .identity),
            (1, 7, 7, 6, 17, 3, 1, 0, 1, false, .elu),        // 6x16 direct: 2 blocks (6 + 1), overlap at 17
            (2, 12, 32, 5, 23, 3, 1, 0, 1, false, .elu),      // 6 blocks, last with 2 channels
            (1, 4, 16, 8, 16, 3, 1, 0, 1, false, .relu),
            (1, 8, 6, 3, 10, 3, 1, 0, 1, false, .elu),        // too narrow for the direct kernel: GEMM
            (1, 9, 40, 7, 19, 3, 1, 0, 1, false, .elu),       // many channels: GEMM with reflection
            (2, 6, 10, 11, 13, 3, 2, 1, 0, true, .relu),      // zero padding, stride 2, residual
            (1, 3, 8, 15, 15, 7, 2, 3, 0, false, .relu),
            (2, 8, 16, 6, 7, 1, 1, 0, 0, true, .identity),
        ]
        for c in cases {
            let x = Tensor.uniform([c.n, c.cin, c.h, c.w], lower: -1, upper: 1, generator: &rng)
            let w = Tensor.uniform([c.cout, c.cin, c.k, c.k], lower: -0.5, upper: 0.5, generator: &rng)
            let b = Tensor.uniform([c.cout], lower: -0.5, upper: 0.5, generator: &rng)
            let expected0 = reference(x, w, b, stride: c.stride, padding: c.pad, reflect: c.reflect, residual: nil, .identity)
            let r = c.residual ? Tensor.uniform(expected0.shape, lower: -1, upper: 1, generator: &rng) : nil
            let expected = reference(x, w, b, stride: c.stride, padding: c.pad, reflect: c.reflect, residual: r, c.act)
            let actual = fusedConv2d(x, weight: w, bias: b, stride: c.stride, padding: c.pad, reflectionPadding: c.reflect,
                                     residual: r, activation: c.act)
            assertRelativeToMax(actual, expected, 1e-5, "fusedConv2d \(c)")
        }
    }

    /// Winograd F(2×2, 3×3): odd sizes (partial tiles), tile rows not a multiple of 8, batch 2,
    /// zero and reflection padding, residual and every activation.
    func testWinogradConvolutionMatchesPlainOps() {
        var rng = RandomGenerator(seed: 34)
        let cases: [(n: Int, cin: Int, cout: Int, h: Int, w: Int, reflect: Bool, residual: Bool, act: FusedActivation)] = [
            (1, 16, 32, 16, 17, true, false, .elu),
            (2, 20, 40, 15, 18, false, true, .relu),
            (1, 32, 33, 12, 40, true, false, .sigmoid),
            (1, 24, 64, 9, 35, false, false, .identity),
        ]
        for c in cases {
            let x = Tensor.uniform([c.n, c.cin, c.h, c.w], lower: -1, upper: 1, generator: &rng)
            let w = Tensor.uniform([c.cout, c.cin, 3, 3], lower: -0.3, upper: 0.3, generator: &rng)
            let b = Tensor.uniform([c.cout], lower: -0.5, upper: 0.5, generator: &rng)
            let r = c.residual ? Tensor.uniform([c.n, c.cout, c.h, c.w], lower: -1, upper: 1, generator: &rng) : nil
            let expected = reference(x, w, b, stride: 1, padding: c.reflect ? 0 : 1, reflect: c.reflect ? 1 : 0, residual: r, c.act)
            let u = winogradWeights(w)
            XCTAssertEqual(u?.shape, [16, c.cout, c.cin])
            let actual = fusedConv2d(x, weight: w, bias: b, padding: c.reflect ? 0 : 1, reflectionPadding: c.reflect ? 1 : 0,
                                     residual: r, activation: c.act, winogradWeights: u)
            assertRelativeToMax(actual, expected, 1e-5, "Winograd \(c)")
        }
    }

    func testMaxPoolInferenceEqualsMaxPool() {
        var rng = RandomGenerator(seed: 32)
        for (h, w, k, s, p) in [(12, 17, 3, 2, 1), (7, 5, 3, 2, 1), (5, 5, 2, 2, 0), (7, 9, 3, 1, 1), (1, 6, 1, 1, 0)] {
            var values = Tensor.uniform([2, 3, h, w], lower: -2, upper: 2, generator: &rng).scalars()
            values[5] = .nan
            values[2 * w + 3] = 7  // ties
            values[2 * w + 4] = 7
            let x = Tensor(shape: [2, 3, h, w], scalars: values)
            let expected = maxPool2d(x, kernel: k, stride: s, padding: p).scalars()
            let actual = maxPool2dInference(x, kernel: k, stride: s, padding: p).scalars()
            XCTAssertEqual(actual.count, expected.count)
            for i in 0..<expected.count {
                XCTAssertTrue(actual[i] == expected[i] || (actual[i].isNaN && expected[i].isNaN), "\(h)x\(w) k\(k) s\(s) p\(p) [\(i)]")
            }
        }
    }

    func testUpsampleConcatEqualsUpsampleThenConcat() {
        var rng = RandomGenerator(seed: 33)
        let x = Tensor.uniform([2, 3, 4, 5], generator: &rng)
        let skip = Tensor.uniform([2, 2, 8, 10], generator: &rng)
        let up = upsampleNearest2d(x, factor: 2)
        XCTAssertEqual(upsampleNearest2Concat(x, skip: skip).scalars(), concat([up, skip], axis: 1).scalars())
        XCTAssertEqual(upsampleNearest2Concat(x, skip: nil).scalars(), up.scalars())
    }
}
