import ParityWeights
import TensorCore
import XCTest

/// A torchvision BasicBlock with a downsample, to check key names and order.
private final class Block: Module {
    let conv1: Conv2d, bn1: BatchNorm2d, conv2: Conv2d, bn2: BatchNorm2d
    let downsample: ModuleList
    init(generator: inout RandomGenerator) {
        conv1 = Conv2d(inChannels: 2, outChannels: 4, kernelSize: 3, stride: 2, padding: 1, bias: false, generator: &generator)
        bn1 = BatchNorm2d(4)
        conv2 = Conv2d(inChannels: 4, outChannels: 4, kernelSize: 3, padding: 1, bias: false, generator: &generator)
        bn2 = BatchNorm2d(4)
        downsample = ModuleList([Conv2d(inChannels: 2, outChannels: 4, kernelSize: 1, stride: 2, bias: false, generator: &generator),
                                 BatchNorm2d(4)])
    }
    var entries: [ModuleEntry] {
        [.child("conv1", conv1), .child("bn1", bn1), .child("conv2", conv2), .child("bn2", bn2), .child("downsample", downsample)]
    }
    func callAsFunction(_ x: Tensor) -> Tensor {
        let shortcut = (downsample.modules[1] as! BatchNorm2d)((downsample.modules[0] as! Conv2d)(x))
        return (bn2(conv2(bn1(conv1(x)).relu())) + shortcut).relu()
    }
}

final class ModuleTests: XCTestCase {
    func testKeysFollowPyTorchStateDictOrder() {
        var rng = RandomGenerator(seed: 1)
        let block = Block(generator: &rng)
        let bn = ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
        let expected = ["conv1.weight"] + bn.map { "bn1." + $0 } + ["conv2.weight"] + bn.map { "bn2." + $0 }
            + ["downsample.0.weight"] + bn.map { "downsample.1." + $0 }
        XCTAssertEqual(block.stateEntries(prefix: "layer2.0.").map(\.key), expected.map { "layer2.0." + $0 })
        XCTAssertEqual(block.namedParameters().map(\.key),
                       ["conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight", "bn2.weight", "bn2.bias",
                        "downsample.0.weight", "downsample.1.weight", "downsample.1.bias"])
        XCTAssertEqual(block.namedBuffers().count, 9)
        XCTAssertEqual(block.stateDict()["bn1.num_batches_tracked"]?.dtype, .int64)
        XCTAssertEqual(block.stateDict()["bn1.num_batches_tracked"]?.shape, [])
    }

    func testBatchNormModesAndRunningStatistics() throws {
        let bn = BatchNorm2d(2)
        let x = Tensor(shape: [2, 2, 1, 2], scalars: [1, 2, 10, 20, 3, 4, 30, 40])
        // Training: batch mean of channel 0 = 2.5, biased var = 1.25, unbiased = 5/3.
        let y = bn(x)
        XCTAssertEqual(bn.runningMean.value.scalars()[0], 0.25, accuracy: 1e-6)
        XCTAssertEqual(bn.runningVariance.value.scalars()[0], 0.9 + 0.1 * 5 / 3, accuracy: 1e-6)
        XCTAssertEqual(bn.numBatchesTracked.value.int64s(), [1])
        XCTAssertEqual(y.scalars()[0], (1 - 2.5) / (1.25 + 1e-5).squareRoot(), accuracy: 1e-5)
        _ = bn(x)
        XCTAssertEqual(bn.numBatchesTracked.value.int64s(), [2])
        // Evaluation: running statistics, no update.
        bn.eval()
        let before = bn.runningMean.value.scalars()
        let z = bn(x)
        XCTAssertEqual(bn.runningMean.value.scalars(), before)
        let rm = before[0], rv = bn.runningVariance.value.scalars()[0]
        XCTAssertEqual(z.scalars()[0], (1 - rm) / (rv + 1e-5).squareRoot(), accuracy: 1e-5)
    }

    func testTrainEvalPropagatesThroughTheTree() {
        var rng = RandomGenerator(seed: 2)
        let block = Block(generator: &rng)
        block.eval()
        XCTAssertEqual((block.downsample.modules[1] as! BatchNorm2d).mode, .evaluation)
        XCTAssertEqual(block.bn2.mode, .evaluation)
        block.train()
        XCTAssertEqual(block.bn1.mode, .training)
    }

    func testTrainingStepAccumulatesParameterGradients() {
        var rng = RandomGenerator(seed: 4)
        let block = Block(generator: &rng)
        let x = Tensor.normal([2, 2, 6, 6], generator: &rng)
        let params = block.parameters()
        for _ in 0..<2 {
            let tape = Tape()
            tape.watch(params)
            let loss = block(x).mean()
            tape.backward(loss)
            XCTAssertTrue(tape.isFinished)
            XCTAssertFalse(params[0].value.isTracked, "parameters are unwatched after backward")
        }
        // Two identical backward passes (BN stats change only the buffers): grad = 2 × one pass.
        let twice = params[0].grad!.scalars()
        for p in params { p.grad = nil }
        let tape = Tape()
        tape.watch(params)
        tape.backward(block(x).mean())
        let once = params[0].grad!.scalars()
        for (a, b) in zip(twice, once) { XCTAssertEqual(a, 2 * b, accuracy: 1e-6 * max(1, Swift.abs(a))) }
        XCTAssertEqual(block.bn1.numBatchesTracked.value.int64s(), [3])
    }
}
