import Kernels

/// `conv --batch B --cin C --cout O --height H --width W --kernel K --stride S [--pad P] [--backward]
/// [--threads T] [--part forward|input|weight]`. --backward times forward + input grad + weight grad (+ bias grad), like
/// torch_baseline.py's conv_layer1_bwd.
func runConvBench(_ arguments: BenchFlags) throws {
    var flags = arguments
    let kernel = try flags.int("kernel")
    let g = Conv2dGeometry(batch: try flags.int("batch"), inChannels: try flags.int("cin"),
                           inHeight: try flags.int("height"), inWidth: try flags.int("width"),
                           outChannels: try flags.int("cout"), kernelHeight: kernel, kernelWidth: kernel,
                           strideY: try flags.int("stride", default: 1), strideX: try flags.int("stride", default: 1),
                           padY: try flags.int("pad", default: kernel / 2), padX: try flags.int("pad", default: kernel / 2))
    let backward = flags.flag("backward")
    let part = try flags.string("part", default: "all", allowed: ["all", "forward", "input", "weight"])
    let threads = try applyThreads(&flags)
    let timer = try BenchTimer(&flags)
    try flags.checkAllUsed()
    guard g.batch > 0, g.inChannels > 0, g.outChannels > 0, kernel > 0, g.strideY > 0,
          g.outHeight > 0, g.outWidth > 0 else { throw BenchFlags.Problem(description: "conv: bad geometry \(g)") }

    let inputCount = g.batch * g.inChannels * g.inHeight * g.inWidth
    let weightCount = g.outChannels * g.inChannels * kernel * kernel
    let outputCount = g.batch * g.outChannels * g.outHeight * g.outWidth
    let input = UnsafeMutablePointer<Float>.allocate(capacity: inputCount)
    let weight = UnsafeMutablePointer<Float>.allocate(capacity: weightCount)
    let bias = UnsafeMutablePointer<Float>.allocate(capacity: g.outChannels)
    let output = UnsafeMutablePointer<Float>.allocate(capacity: outputCount)
    let gradInput = UnsafeMutablePointer<Float>.allocate(capacity: inputCount)
    let gradWeight = UnsafeMutablePointer<Float>.allocate(capacity: weightCount)
    let gradBias = UnsafeMutablePointer<Float>.allocate(capacity: g.outChannels)
    defer { for p in [input, weight, bias, output, gradInput, gradWeight, gradBias] { p.deallocate() } }
    for i in 0..<inputCount { input[i] = Float(i % 17) * 0.1 - 0.8 }
    for i in 0..<weightCount { weight[i] = Float(i % 11) * 0.01 - 0.05 }
    for i in 0..<g.outChannels { bias[i] = 0.1 }

    conv2dForward(g, input: input, weight: weight, bias: bias, output: output)
    let times = timer.measure {
        // The output doubles as gradOutput, as any upstream gradient would.
        switch part {
        case "input": conv2dBackwardInput(g, gradOutput: output, weight: weight, gradInput: gradInput)
        case "weight": conv2dBackwardWeight(g, input: input, gradOutput: output, gradWeight: gradWeight, gradBias: gradBias)
        default:
            conv2dForward(g, input: input, weight: weight, bias: bias, output: output)
            if backward && part == "all" {
                conv2dBackwardInput(g, gradOutput: output, weight: weight, gradInput: gradInput)
                conv2dBackwardWeight(g, input: input, gradOutput: output, gradWeight: gradWeight, gradBias: gradBias)
            }
        }
    }
    let flops = Double(g.forwardFlops) * (backward && part == "all" ? 3 : 1)
    let shape = "\(g.batch)x\(g.inChannels)x\(g.inHeight)x\(g.inWidth) -> \(g.outChannels) k\(kernel) s\(g.strideY) p\(g.padY)"
    let name = part != "all" ? "conv_\(part)" : backward ? "conv_fwd_bwd" : "conv_fwd"
    report(name: name, times: times, flops: flops,
           extra: [("threads", String(threads)), ("shape", quoted(shape))])
}
