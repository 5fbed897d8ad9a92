import Networks
import ParityWeights
import TensorCore

/// `infer --height H --width W --batch B [--threads T] [--modules]`: depth encoder (ResNet-18) +
/// decoder inference, eval mode, formula weights (salt md2-parity), like torch_baseline.py's
/// infer640 / infer1024. Times the fused inference path (`DepthInference`), or with --modules the
/// module forward in eval mode.
func runInferBench(_ arguments: BenchFlags) throws {
    var flags = arguments
    let height = try flags.int("height", default: 192), width = try flags.int("width", default: 640)
    let batch = try flags.int("batch", default: 1)
    let modules = flags.flag("modules")
    let threads = try applyThreads(&flags)
    let timer = try BenchTimer(&flags)
    try flags.checkAllUsed()
    guard batch > 0, height > 0, width > 0, height % 32 == 0, width % 32 == 0 else {
        throw BenchFlags.Problem(description: "infer: --height and --width must be positive multiples of 32, --batch positive")
    }
    let encoder = ResnetEncoder(depth: .resnet18)
    let decoder = DepthDecoder(encoderChannels: encoder.featureChannels)
    FormulaWeights.fill(encoder)
    FormulaWeights.fill(decoder)
    encoder.eval()
    decoder.eval()
    var rng = RandomGenerator(seed: 0)
    let image = Tensor.uniform([batch, 3, height, width], generator: &rng)
    let predictor = DepthInference(encoder: encoder, decoder: decoder)
    let times = timer.measure {
        let disparity = modules ? decoder(encoder(image)).disparity(scale: 0) : predictor(image).disparity(scale: 0)
        precondition(disparity.shape == [batch, 1, height, width])
    }
    // Convolution FLOPs (multiply-adds × 2), as torch's FlopCounterMode counts them.
    let flops = Double(batch) * inferConvolutionFlops(encoder: encoder, decoder: decoder, height: height, width: width)
    report(name: "infer", times: times, flops: flops,
           extra: [("threads", String(threads)), ("shape", quoted("\(batch)x3x\(height)x\(width)")),
                   ("path", quoted(modules ? "modules" : "fused"))])
}

/// 2·MACs of every convolution the encoder features and decoder run at this input size.
private func inferConvolutionFlops(encoder: ResnetEncoder, decoder: DepthDecoder, height: Int, width: Int) -> Double {
    // Output sizes: stem at /2, stage k at /2^(k+1); decoder convs at the size of their level.
    var total = 0.0
    func conv(_ c: Conv2d, outH: Int, outW: Int) {
        let w = c.weight.value.shape
        total += 2 * Double(w[0] * w[1] * w[2] * w[3] * outH * outW)
    }
    let r = encoder.resnet
    conv(r.conv1, outH: height / 2, outW: width / 2)
    for (k, stage) in r.stages.enumerated() {
        let h = height >> (k + 2), w = width >> (k + 2)
        for block in stage.blocks {
            for pair in block.convolutions { conv(pair.conv, outH: h, outW: w) }
            if let d = block.downsample { conv(d.conv, outH: h, outW: w) }
        }
    }
    for i in 0...4 {
        conv(decoder.upconvs[i].0.conv.conv, outH: height >> (i + 1), outW: width >> (i + 1))
        conv(decoder.upconvs[i].1.conv.conv, outH: height >> i, outW: width >> i)
    }
    for (k, s) in decoder.scales.enumerated() { conv(decoder.dispconvs[k].conv, outH: height >> s, outW: width >> s) }
    return total
}
