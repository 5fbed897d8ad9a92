import Foundation
import Kernels
import ParityWeights
import TensorCore
import TestSupport
import XCTest

/// One Adam step in isolation against ../shared/reference/torch/loss (README "Adam"):
/// before = formula weights (salt md2-parity), gradient = grads/NET__KEY.npy, after =
/// after_adam/ (modern torch) and after_adam_torch041/ (torch 0.4.1); lr 1e-4, betas 0.9/0.999,
/// eps 1e-8. Asserted within 1e-7 absolute (README), with at most 1% of elements off by an ulp.
final class AdamTests: XCTestCase {
    static let files = [
        "encoder__encoder.conv1.weight", "encoder__encoder.bn1.weight", "encoder__encoder.bn1.bias",
        "encoder__encoder.layer4.1.bn2.weight", "depth__decoder.10.conv.weight", "depth__decoder.10.conv.bias",
        "depth__decoder.13.conv.weight", "depth__decoder.9.conv.conv.weight", "pose_encoder__encoder.conv1.weight",
        "pose__net.3.weight", "pose__net.3.bias", "pose__net.0.bias",
    ]

    func runStep(rule: AdamRule, expectedFolder: String) throws {
        var parameters: [Parameter] = []
        for file in Self.files {
            let key = String(file[try XCTUnwrap(file.range(of: "__")).upperBound...])
            let grad = try Fixtures.npy("torch/loss/grads/\(file).npy")
            let p = Parameter(FormulaWeights.tensor(key: key, shape: grad.shape))
            p.grad = Tensor(shape: grad.shape, scalars: grad.floatValues())
            parameters.append(p)
        }
        let adam = Adam(parameters: parameters, learningRate: 1e-4, rule: rule)
        adam.step()
        for (file, p) in zip(Self.files, parameters) {
            let expected = try Fixtures.npy("torch/loss/\(expectedFolder)/\(file).npy")
            XCTAssertEqual(p.value.shape, expected.shape, file)
            let actual = p.value.scalars(), want = expected.floatValues()
            let c = compare(actual, want)
            let differing = zip(actual, want).filter { $0.0.bitPattern != $0.1.bitPattern }.count
            XCTAssertLessThanOrEqual(c.maxAbsoluteError, 1e-7, "\(expectedFolder)/\(file): \(c); \(differing) not bit-identical")
            // All but a few elements are bit-identical: torch's MKL build computes sqrt with VML in
            // high-accuracy mode (≤ 1 ulp, not correctly rounded); with torch's sqrt the update
            // matches bit for bit (checked with the fixture's torch 2.15).
            XCTAssertLessThanOrEqual(differing, max(5, actual.count / 100), "\(expectedFolder)/\(file)")
            XCTAssertEqual(adam.states[parameters.firstIndex { $0 === p }!]?.step, 1)
        }
    }

    func testModernAdamMatchesTorch() throws { try runStep(rule: .modern, expectedFolder: "after_adam") }

    func testTorch041AdamMatchesTorch041() throws { try runStep(rule: .torch041, expectedFolder: "after_adam_torch041") }

    /// Parameters without a gradient are skipped (no state), as torch does (encoder.fc.*).
    func testSkipsParametersWithoutGradient() {
        let a = Parameter(Tensor(shape: [2], scalars: [1, 2])), b = Parameter(Tensor(shape: [2], scalars: [3, 4]))
        a.grad = Tensor(shape: [2], scalars: [0.5, -0.5])
        let adam = Adam(parameters: [a, b], learningRate: 0.1)
        adam.step()
        XCTAssertNotNil(adam.states[0])
        XCTAssertNil(adam.states[1])
        XCTAssertEqual(b.value.scalars(), [3, 4])
        // First modern step moves each weight by lr·sign(g) (up to eps): 1 − 0.1, 2 + 0.1.
        XCTAssertEqual(a.value.scalars()[0], 0.9, accuracy: 1e-6)
        XCTAssertEqual(a.value.scalars()[1], 2.1, accuracy: 1e-6)
        adam.zeroGradients()
        XCTAssertNil(a.grad)
    }

    /// The 0.4.1 rule (trainer.py `run_epoch` with torch 0.4.1): step() at the start of each epoch; epochs 0–14 at
    /// lr, 15–19 at lr/10 for step size 15 (modern PyTorch would drop at epoch 14).
    func testStepLRFollowsTorch041EpochRule() {
        let adam = Adam(parameters: [], learningRate: 1e-4)
        let scheduler = StepLR(optimizer: adam, stepSize: 15, gamma: 0.1)
        XCTAssertEqual(scheduler.lastEpoch, -1)
        var rates: [Double] = []
        for epoch in 0..<20 {
            scheduler.step()
            XCTAssertEqual(scheduler.lastEpoch, epoch)
            rates.append(adam.learningRate)
        }
        XCTAssertEqual(Array(rates[0...14]), [Double](repeating: 1e-4, count: 15))
        for rate in rates[15...] { XCTAssertEqual(rate, 1e-4 * 0.1, accuracy: 1e-18) }
        XCTAssertEqual(scheduler.learningRate(atEpoch: 30), 1e-4 * 0.1 * 0.1, accuracy: 1e-18)
        XCTAssertEqual(scheduler.learningRate(atEpoch: 29), 1e-4 * 0.1, accuracy: 1e-18)
    }

    /// The formula-weight check values printed by formula.py.
    func testFormulaWeightCheckValues() {
        XCTAssertEqual(FormulaWeights.fnv1a64("md2-parity:encoder.conv1.weight"), 0x1b4f_ec8a_b071_36e5)
        XCTAssertEqual(FormulaWeights.uniforms(seed: 0x1b4f_ec8a_b071_36e5, count: 4), [0.80454814, 0.9719011, 0.93769383, 0.44328648])
        let w = FormulaWeights.values(key: "encoder.conv1.weight", shape: [64, 3, 7, 7])
        XCTAssertEqual(Array(w.prefix(4)), [0.08701376, 0.1348289, 0.12505539, -0.016203864])
    }
}
