import TensorCore
import XCTest

/// The usage example of TensorCore.swift, run: a tiny conv + batch norm fitted for a few Adam
/// steps must lower its loss; then inference without a tape records nothing.
final class UsageExampleTests: XCTestCase {
    func testTrainingLoopLowersTheLoss() {
        var rng = RandomGenerator(seed: 1)
        let conv = Conv2d(inChannels: 3, outChannels: 8, kernelSize: 3, padding: 1, generator: &rng)
        let bn = BatchNorm2d(8)
        let adam = Adam(parameters: conv.parameters() + bn.parameters(), learningRate: 1e-2)
        let x = Tensor.uniform([2, 3, 8, 8], generator: &rng)
        let target = Tensor.uniform([2, 8, 8, 8], lower: -0.5, upper: 0.5, generator: &rng)
        var losses: [Float] = []
        for _ in 0..<20 {
            let tape = Tape()
            tape.watch(adam.parameters)
            let loss = (bn(conv(x)).elu() - target).squared().mean()
            tape.backward(loss)
            adam.step()
            adam.zeroGradients()
            losses.append(loss.scalar())
        }
        XCTAssertLessThan(losses.last!, 0.5 * losses.first!, "losses \(losses)")
        bn.eval()
        let y = bn(conv(x))
        XCTAssertFalse(y.isTracked)
        XCTAssertEqual(y.shape, [2, 8, 8, 8])
        XCTAssertEqual(bn.numBatchesTracked.value.int64s(), [20])
    }

    func testMovingKeepsValues() {
        var rng = RandomGenerator(seed: 2)
        let conv = Conv2d(inChannels: 2, outChannels: 2, kernelSize: 1, generator: &rng)
        let before = conv.weight.value.scalars()
        let other = CPUBackend(cacheLimitBytes: 1 << 20)
        conv.move(to: other)
        XCTAssertTrue(conv.weight.value.backend === other)
        XCTAssertEqual(conv.weight.value.scalars(), before)
    }
}
