import XCTest
@testable import Kernels

/// The fast convolutions against the naive reference loops (Conv2dReference.swift), every element.
/// Tolerance: |fast − reference| ≤ 2e-5 · (1 + max|reference|) (float32 summation-order differences
/// over ≤ a few thousand terms of magnitude ≤ 1).
final class Conv2dTests: XCTestCase {
    func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2_000_000) / 1_000_000 - 1
        }
    }

    func assertClose(_ actual: [Float], _ expected: [Float], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, what, file: file, line: line)
        let magnitude = expected.reduce(Float(0)) { max($0, abs($1)) }
        var worst: Float = 0, worstIndex = 0
        for i in 0..<min(actual.count, expected.count) {
            let error = abs(actual[i] - expected[i])
            if !(error <= worst) { worst = error.isNaN ? .infinity : error; worstIndex = i }
        }
        XCTAssertLessThanOrEqual(worst, 2e-5 * (1 + magnitude),
                                 "\(what): worst at \(worstIndex): \(actual.isEmpty ? 0 : actual[worstIndex]) vs \(expected.isEmpty ? 0 : expected[worstIndex])",
                                 file: file, line: line)
    }

    func check(_ g: Conv2dGeometry, bias hasBias: Bool = true, file: StaticString = #filePath, line: UInt = #line) {
        let inputCount = g.batch * g.inChannels * g.inHeight * g.inWidth
        let weightCount = g.outChannels * g.inChannels * g.kernelHeight * g.kernelWidth
        let outputCount = g.batch * g.outChannels * g.outHeight * g.outWidth
        let input = values(inputCount, seed: 11), weight = values(weightCount, seed: 12)
        let bias = values(g.outChannels, seed: 13), gradOutput = values(outputCount, seed: 14)

        // Outputs start as NaN: every kernel must overwrite, never accumulate.
        var output = [Float](repeating: .nan, count: outputCount), expected = [Float](repeating: 0, count: outputCount)
        bias.withUnsafeBufferPointer { b in
            let biasPointer = hasBias ? b.baseAddress : nil
            conv2dForward(g, input: input, weight: weight, bias: biasPointer, output: &output)
            referenceConv2dForward(g, input: input, weight: weight, bias: biasPointer, output: &expected)
        }
        assertClose(output, expected, "forward \(g) bias \(hasBias)", file: file, line: line)

        var gradInput = [Float](repeating: .nan, count: inputCount), expectedInput = [Float](repeating: 0, count: inputCount)
        conv2dBackwardInput(g, gradOutput: gradOutput, weight: weight, gradInput: &gradInput)
        referenceConv2dBackwardInput(g, gradOutput: gradOutput, weight: weight, gradInput: &expectedInput)
        assertClose(gradInput, expectedInput, "backward input \(g)", file: file, line: line)

        var gradWeight = [Float](repeating: .nan, count: weightCount), expectedWeight = [Float](repeating: 0, count: weightCount)
        var gradBias = [Float](repeating: .nan, count: g.outChannels), expectedBias = [Float](repeating: 0, count: g.outChannels)
        if hasBias {
            conv2dBackwardWeight(g, input: input, gradOutput: gradOutput, gradWeight: &gradWeight, gradBias: &gradBias)
            referenceConv2dBackwardWeight(g, input: input, gradOutput: gradOutput, gradWeight: &expectedWeight, gradBias: &expectedBias)
            assertClose(gradBias, expectedBias, "backward bias \(g)", file: file, line: line)
        } else {
            conv2dBackwardWeight(g, input: input, gradOutput: gradOutput, gradWeight: &gradWeight, gradBias: nil)
            referenceConv2dBackwardWeight(g, input: input, gradOutput: gradOutput, gradWeight: &expectedWeight, gradBias: nil)
        }
        assertClose(gradWeight, expectedWeight, "backward weight \(g)", file: file, line: line)
    }

    func geometry(_ batch: Int, _ cin: Int, _ h: Int, _ w: Int, _ cout: Int, k: Int, s: Int = 1, p: Int = 0) -> Conv2dGeometry {
        Conv2dGeometry(batch: batch, inChannels: cin, inHeight: h, inWidth: w, outChannels: cout,
                       kernelHeight: k, kernelWidth: k, strideY: s, strideX: s, padY: p, padX: p)
    }

    func testPointwise() {
        check(geometry(1, 5, 7, 9, 3, k: 1))
        check(geometry(2, 16, 11, 13, 20, k: 1), bias: false)
        check(geometry(2, 8, 9, 11, 7, k: 1, s: 2))           // 1×1 stride 2 (ResNet downsample)
    }

    func testThreeByThree() {
        check(geometry(1, 3, 9, 11, 5, k: 3, s: 1, p: 1))
        check(geometry(2, 7, 13, 21, 9, k: 3, s: 1, p: 1), bias: false)
        check(geometry(1, 6, 13, 17, 8, k: 3, s: 2, p: 1))     // odd sizes, stride 2
        check(geometry(3, 4, 10, 12, 6, k: 3, s: 2, p: 1))
        check(geometry(2, 5, 12, 19, 4, k: 3, s: 1, p: 0))     // after reflection padding
        check(geometry(1, 4, 6, 40, 3, k: 3, s: 1, p: 1))      // rows wider than a 16-pixel panel
        check(geometry(1, 3, 34, 35, 4, k: 3, s: 2, p: 1))     // stride-2 rows wide enough for the SIMD path
    }

    func testLargeKernels() {
        check(geometry(1, 3, 23, 29, 8, k: 7, s: 2, p: 3))     // ResNet conv1
        check(geometry(2, 2, 9, 10, 3, k: 5, s: 1, p: 2))
        check(geometry(1, 2, 8, 8, 3, k: 4, s: 3, p: 2))       // stride > 2, even kernel
        check(geometry(1, 2, 6, 7, 3, k: 3, s: 1, p: 3))       // padding ≥ kernel: general backward path
        check(geometry(2, 2, 1, 1, 3, k: 3, s: 3, p: 1))       // 1×1 input, stride > input: phases with no pixels
    }

    /// Stride-1 convolutions wide enough for the shifted-view forward (no im2col): row tails,
    /// 6- and 4-row tiles, odd channel counts, rows straddling 16-pixel tiles, batch > 1.
    func testShiftedForwardPath() {
        check(geometry(1, 5, 24, 50, 7, k: 3, s: 1, p: 1))
        check(geometry(2, 4, 20, 64, 10, k: 3, s: 1, p: 1), bias: false)
        check(geometry(1, 3, 26, 60, 6, k: 5, s: 1, p: 0))
        check(geometry(1, 2, 18, 70, 16, k: 3, s: 1, p: 2))
        check(geometry(2, 3, 16, 80, 1, k: 3, s: 1, p: 1))     // Cout = 1 (a disparity head)
        check(geometry(1, 64, 20, 52, 10, k: 3, s: 1, p: 1))   // 576 taps: two depth blocks (accumulate, bias once)
    }

    /// Small images run as one GEMM over the batch (Conv2dBatched): ResNet's deep layers (a few
    /// pixels, many taps: k > kc), stride-2 and 1×1 downsampling, edge columns that no window reaches.
    func testBatchedSmallImages() {
        let cases = [geometry(3, 64, 2, 6, 24, k: 3, s: 1, p: 1),    // 576 taps: two depth blocks
                     geometry(4, 12, 4, 12, 20, k: 3, s: 2, p: 1),
                     geometry(2, 9, 3, 5, 7, k: 1, s: 2),
                     geometry(3, 5, 7, 9, 6, k: 3, s: 3, p: 0),       // stride 3: columns left out
                     geometry(2, 4, 5, 6, 3, k: 5, s: 1, p: 3)]       // padding ≥ kernel / 2
        for g in cases {
            XCTAssertTrue(Conv2dBatched.applies(g), "\(g)")
            check(g)
            check(g, bias: false)
        }
        XCTAssertFalse(Conv2dBatched.applies(geometry(1, 64, 2, 6, 24, k: 3, p: 1)), "one image keeps the per-image path")
    }

    func testRectangular() {
        let g = Conv2dGeometry(batch: 2, inChannels: 3, inHeight: 9, inWidth: 14, outChannels: 5,
                               kernelHeight: 3, kernelWidth: 1, strideY: 2, strideX: 1, padY: 1, padX: 0)
        check(g)
    }

    /// Large enough for the multithreaded, multi-block GEMM paths (k > kc, many panels).
    func testThreadedSizes() {
        check(geometry(2, 48, 17, 40, 24, k: 3, s: 1, p: 1))
        check(geometry(1, 40, 16, 16, 70, k: 3, s: 2, p: 1))
        check(geometry(1, 16, 32, 40, 24, k: 3, s: 1, p: 1))   // ≥ 1024 pixels: small-A GEMM path
    }
}
