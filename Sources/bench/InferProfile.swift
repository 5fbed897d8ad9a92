import Networks
import TensorCore

/// `infer-profile --height H --width W [--threads T] [--no-winograd] [--only NAME-PART]`: times every layer of the fused ResNet-18
/// depth inference separately (same shapes and fused ops as `DepthInference`, random weights), to
/// show where `bench infer` spends its time. One JSON line per layer, then the sum.
func runInferProfile(_ arguments: BenchFlags) throws {
    var flags = arguments
    let height = try flags.int("height", default: 192), width = try flags.int("width", default: 640)
    let winograd = !flags.flag("no-winograd")
    let only = try? flags.string("only")
    let threads = try applyThreads(&flags)
    let timer = try BenchTimer(&flags)
    try flags.checkAllUsed()
    guard height > 0, width > 0, height % 32 == 0, width % 32 == 0 else {
        throw BenchFlags.Problem(description: "infer-profile: --height and --width must be positive multiples of 32")
    }
    var rng = RandomGenerator(seed: 3)
    var total = 0.0
    func time(_ name: String, flops: Double, _ body: () -> Void) {
        if let only, !name.contains(only) { return }
        let times = timer.measure(body)
        total += times[times.count / 2]
        report(name: name, times: times, flops: flops, extra: [("threads", String(threads))])
    }
    func conv(_ name: String, _ cin: Int, _ cout: Int, _ k: Int, stride: Int = 1, h: Int, w: Int,
              reflect: Bool = false, residual: Bool = false, activation: FusedActivation) {
        let x = Tensor.uniform([1, cin, h, w], lower: -1, upper: 1, generator: &rng)
        let bound = (3 / Float(cin * k * k)).squareRoot()
        let weight = Tensor.uniform([cout, cin, k, k], lower: -bound, upper: bound, generator: &rng)
        let bias = Tensor.uniform([cout], lower: -0.1, upper: 0.1, generator: &rng)
        let pad = reflect ? 0 : k / 2
        let oh = (h + 2 * (k / 2) - k) / stride + 1, ow = (w + 2 * (k / 2) - k) / stride + 1
        let r = residual ? Tensor.uniform([1, cout, oh, ow], generator: &rng) : nil
        // The same Winograd rule as the inference path (FoldedConv): 3×3 stride 1 "same", ≥ 64 channels.
        let u = winograd && k == 3 && stride == 1 && cout >= 64 && cin >= 64 ? winogradWeights(weight) : nil
        time(name, flops: 2 * Double(cout * cin * k * k * oh * ow)) {
            _ = fusedConv2d(x, weight: weight, bias: bias, stride: stride, padding: pad, reflectionPadding: reflect ? k / 2 : 0,
                            residual: r, activation: activation, winogradWeights: u)
        }
    }
    let image = Tensor.uniform([1, 3, height, width], generator: &rng)
    time("normalise", flops: 0) { _ = (image - 0.45) / 0.225 }
    conv("conv1", 3, 64, 7, stride: 2, h: height, w: width, activation: .relu)
    let f0 = Tensor.uniform([1, 64, height / 2, width / 2], generator: &rng)
    time("maxpool", flops: 0) { _ = maxPool2dInference(f0, kernel: 3, stride: 2, padding: 1) }
    var channels = 64, h = height / 4, w = width / 4
    for stage in 0..<4 {
        let out = 64 << stage
        for block in 0..<2 {
            let stride = block == 0 && stage > 0 ? 2 : 1
            let ih = stride == 2 ? h * 2 : h, iw = stride == 2 ? w * 2 : w
            conv("layer\(stage + 1).\(block).conv1", channels, out, 3, stride: stride, h: ih, w: iw, activation: .relu)
            if stride == 2 { conv("layer\(stage + 1).\(block).downsample", channels, out, 1, stride: 2, h: ih, w: iw, activation: .identity) }
            conv("layer\(stage + 1).\(block).conv2", out, out, 3, h: h, w: w, residual: true, activation: .relu)
            channels = out
        }
        if stage < 3 { h /= 2; w /= 2 }
    }
    let enc = ResNetDepth.resnet18.featureChannels, dec = DepthDecoder.decoderChannels
    for i in stride(from: 4, through: 0, by: -1) {
        let lh = height >> (i + 1), lw = width >> (i + 1)
        let cin = i == 4 ? enc[4] : dec[i + 1]
        conv("upconv(\(i),0)", cin, dec[i], 3, h: lh, w: lw, reflect: true, activation: .elu)
        let x = Tensor.uniform([1, dec[i], lh, lw], generator: &rng)
        let skip = i > 0 ? Tensor.uniform([1, enc[i - 1], 2 * lh, 2 * lw], generator: &rng) : nil
        time("upsample+concat(\(i))", flops: 0) { _ = upsampleNearest2Concat(x, skip: skip) }
        conv("upconv(\(i),1)", dec[i] + (i > 0 ? enc[i - 1] : 0), dec[i], 3, h: 2 * lh, w: 2 * lw, reflect: true, activation: .elu)
        if i < 4 { conv("dispconv(\(i))", dec[i], 1, 3, h: 2 * lh, w: 2 * lw, reflect: true, activation: .sigmoid) }
    }
    print("{\"name\": \"infer-profile-total\", \"sum_median_s\": \(format(total)), \"threads\": \(threads)}")
}
