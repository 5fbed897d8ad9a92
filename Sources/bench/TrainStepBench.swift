import ArrayIO
import Foundation
import KITTIData
import Networks
import Options
import ParityWeights
import TensorCore
import Training

// bench train-step: one Monodepth2 training step (forward in train mode, losses, backward, Adam),
// like torch_baseline.py's train192b12 / train640b4 (mono+stereo there: pass --frame_ids 0 -1 1
// --use_stereo).
//   bench train-step --height 64 --width 192 --batch 12 [training flags of options.py] [--threads N]
//                    [--samples N] [--adam modern|torch041]
//   bench train-step --inputs DIR --load_weights_folder DIR --no_tiebreak_noise [training flags]
// Without --load_weights_folder the networks hold formula weights (salt md2-parity, as the PyTorch
// baseline); without --inputs the images are seeded noise with KITTI's normalised intrinsics.
// --inputs reads color_{f}_{s}.npy (and color_aug_{f}_{s}.npy when present), K_{s}, inv_K_{s}, stereo_T
// laid out like ../shared/reference/torch/loss/inputs, takes the batch size from them, and adds the
// first step's `losses`, `identity_selection_mean` and `grad_norms` (per network, before Adam) to the line.


/// Flags of bench itself; everything else goes to the shared options parser.
private let ownValueFlags: Set<String> = ["batch", "threads", "samples", "min-sample-seconds", "inputs", "adam"]
private let ownSwitches: Set<String> = ["no_tiebreak_noise"]

func runTrainStepBench(_ arguments: [String]) throws {
    var own: [String] = [], rest: [String] = []
    var index = 0
    while index < arguments.count {
        let name = arguments[index].hasPrefix("--") ? String(arguments[index].dropFirst(2)) : ""
        if ownValueFlags.contains(name), index + 1 < arguments.count {
            own += [arguments[index], arguments[index + 1]]
            index += 2
        } else if ownSwitches.contains(name) {
            own.append(arguments[index])
            index += 1
        } else {
            rest.append(arguments[index])
            index += 1
        }
    }
    if !own.contains("--samples") { own += ["--samples", "5"] }
    var flags = try BenchFlags(own)
    var options = try MonodepthOptions.parse(rest, program: "bench train-step")
    let inputsFolder = try? flags.string("inputs")
    let noise = !flags.flag("no_tiebreak_noise")
    let rule = try flags.string("adam", default: "torch041", allowed: ["torch041", "modern"])
    let threads = try applyThreads(&flags)
    let timer = try BenchTimer(&flags)
    var batch: Batch?
    if let inputsFolder {
        let loaded = try readStepInputs(URL(fileURLWithPath: inputsFolder), useStereo: options.useStereo, frameIDs: options.frameIDs)
        options.batchSize = loaded.count
        batch = loaded
    } else {
        options.batchSize = try flags.int("batch", default: options.batchSize)
    }
    try flags.checkAllUsed()
    try options.validate(for: .training)
    let configuration = StepConfiguration(options: options, tieBreakNoise: noise)

    let models = MonodepthModels(configuration: configuration.modelSet, initialisation: .placeholder)
    if let folder = options.loadWeightsFolder {
        try WeightsFolder(URL(fileURLWithPath: (folder as NSString).expandingTildeInPath))
            .load(into: models, networks: [.encoder, .depth, .poseEncoder, .pose])
        if let mask = models.predictiveMask { FormulaWeights.fill(mask) }
    } else {
        for (_, module) in models.named { FormulaWeights.fill(module) }
    }
    let step = MonodepthStep(configuration: configuration, models: models, adamRule: rule == "modern" ? .modern : .torch041,
                             noiseSeed: UInt64(options.seed))
    let input = batch ?? syntheticBatch(configuration)

    var extra: [(String, String)] = []
    if batch != nil {
        // The parity step first, from the loaded weights, before any update.
        let result = step.computeGradients(input)
        extra.append(("losses", "{" + result.losses.named.map { "\(quoted($0.name)): \(format(Double($0.value), digits: 9))" }
            .joined(separator: ", ") + "}"))
        if let means = result.losses.identitySelectionMean {
            extra.append(("identity_selection_mean", "{" + zip(result.losses.scales, means)
                .map { "\(quoted(String($0.0))): \(format(Double($0.1), digits: 9))" }.joined(separator: ", ") + "}"))
        }
        extra.append(("grad_norms", "{" + models.gradientNorms().map { "\(quoted($0.name.rawValue)): \(format($0.norm, digits: 9))" }
            .joined(separator: ", ") + "}"))
    }
    let times = timer.measure { step.train(input) }
    let flops = trainStepFlops(configuration, models: models)
    report(name: "train-step", times: times, flops: flops,
           extra: [("gflop", format(flops / 1e9, digits: 3)), ("threads", String(threads)),
                   ("shape", quoted("\(configuration.batchSize)x3x\(configuration.height)x\(configuration.width)")),
                   ("frames", quoted(configuration.frames.map(\.description).joined(separator: " ")))] + extra)
}

/// Reads a batch laid out like reference/torch/loss/inputs.
private func readStepInputs(_ folder: URL, useStereo: Bool, frameIDs: [Int]) throws -> Batch {
    func tensor(_ name: String) throws -> Tensor {
        let url = folder.appendingPathComponent(name + ".npy")
        let array = try NPY.read(contentsOf: url)
        guard array.elementType == .float32 else {
            throw BenchFlags.Problem(description: "\(url.path): expected float32, found \(array.elementType)")
        }
        return Tensor(shape: array.shape, scalars: array.floatValues())
    }
    let frames = frameIDs.map { FrameID.offset($0) } + (useStereo ? [FrameID.stereo] : [])
    var color: [FrameID: [Tensor]] = [:], augmented: [FrameID: [Tensor]] = [:]
    var scales = 0
    while FileManager.default.fileExists(atPath: folder.appendingPathComponent("K_\(scales).npy").path) { scales += 1 }
    guard scales > 0 else { throw BenchFlags.Problem(description: "\(folder.path): no K_0.npy (inputs as reference/torch/loss/inputs)") }
    for f in frames {
        color[f] = try (0..<scales).map { try tensor("color_\(f)_\($0)") }
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("color_aug_\(f)_0.npy").path) {
            augmented[f] = [try tensor("color_aug_\(f)_0")]
        }
    }
    guard augmented.isEmpty || augmented.count == frames.count else {
        throw BenchFlags.Problem(description: "\(folder.path): color_aug_F_0.npy for \(augmented.count) of the \(frames.count) frames (all or none)")
    }
    return Batch(color: color, colorAug: augmented.isEmpty ? nil : augmented,
                 K: try (0..<scales).map { try tensor("K_\($0)") }, invK: try (0..<scales).map { try tensor("inv_K_\($0)") },
                 stereoT: useStereo ? try tensor("stereo_T") : nil)
}

/// Seeded noise images and KITTI's normalised intrinsics at every scale.
private func syntheticBatch(_ c: StepConfiguration) -> Batch {
    var rng = RandomGenerator(seed: 1)
    var color: [FrameID: [Tensor]] = [:]
    for f in c.frames {
        color[f] = (0..<4).map { Tensor.uniform([c.batchSize, 3, c.height >> $0, c.width >> $0], generator: &rng) }
    }
    var k: [Tensor] = [], invK: [Tensor] = []
    for s in 0..<4 {
        let fx = 0.58 * Float(c.width >> s), fy = 1.92 * Float(c.height >> s)
        let cx = 0.5 * Float(c.width >> s), cy = 0.5 * Float(c.height >> s)
        let kValues: [Float] = [fx, 0, cx, 0, 0, fy, cy, 0, 0, 0, 1, 0, 0, 0, 0, 1]
        let invValues: [Float] = [1 / fx, 0, -cx / fx, 0, 0, 1 / fy, -cy / fy, 0, 0, 0, 1, 0, 0, 0, 0, 1]
        k.append(Tensor(shape: [c.batchSize, 4, 4], scalars: Array([[Float]](repeating: kValues, count: c.batchSize).joined())))
        invK.append(Tensor(shape: [c.batchSize, 4, 4], scalars: Array([[Float]](repeating: invValues, count: c.batchSize).joined())))
    }
    let stereo: [Float] = [1, 0, 0, -0.1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
    return Batch(color: color, K: k, invK: invK,
                 stereoT: Tensor(shape: [c.batchSize, 4, 4], scalars: Array([[Float]](repeating: stereo, count: c.batchSize).joined())))
}

/// Convolution FLOPs of one step as torch's FlopCounterMode counts them: forward, weight gradient
/// and input gradient (none for the first convolution of a network, whose input is an image).
private func trainStepFlops(_ c: StepConfiguration, models: MonodepthModels) -> Double {
    let b = Double(c.batchSize)
    var forward = 0.0, firstLayers = 0.0
    func add(_ flops: (total: Double, first: Double), times: Double) {
        forward += flops.total * times
        firstLayers += flops.first * times
    }
    let depthRuns = c.poseModelType == .shared ? Double(c.frames.count) : 1
    add(resnetFlops(models.encoder, height: c.height, width: c.width), times: b * depthRuns)
    add((decoderFlops(models.depth, height: c.height, width: c.width), 0), times: b)
    if let mask = models.predictiveMask { add((decoderFlops(mask, height: c.height, width: c.width), 0), times: b) }
    let poseRuns = Double(c.poseFrames == 2 ? c.temporalSources.count : 1)
    if let poseEncoder = models.poseEncoder { add(resnetFlops(poseEncoder, height: c.height, width: c.width), times: b * poseRuns) }
    switch models.pose {
    case let .decoder(d)?:
        let h = c.height >> 5, w = c.width >> 5
        var f = Double(d.inputFeatures) * convFlops(d.squeeze, h, w)
        for conv in [d.pose0, d.pose1, d.pose2] { f += convFlops(conv, h, w) }
        add((f, 0), times: b * poseRuns)
    case let .cnn(cnn)?:
        var f = 0.0, first = 0.0, h = c.height, w = c.width
        for (i, conv) in cnn.convs.enumerated() {
            h = (h + 1) / 2; w = (w + 1) / 2
            let layer = convFlops(conv, h, w)
            f += layer
            if i == 0 { first = layer }
        }
        f += convFlops(cnn.poseConv, h, w)
        add((f, first), times: b * poseRuns)
    case nil: break
    }
    return 3 * forward - firstLayers
}

private func convFlops(_ conv: Conv2d, _ outH: Int, _ outW: Int) -> Double {
    let w = conv.weight.value.shape
    return 2 * Double(w[0] * w[1] * w[2] * w[3] * outH * outW)
}

/// One image through a ResNet encoder: (all convolutions, conv1).
private func resnetFlops(_ encoder: ResnetEncoder, height: Int, width: Int) -> (total: Double, first: Double) {
    let r = encoder.resnet
    let first = convFlops(r.conv1, height / 2, width / 2)
    var total = first
    for (k, stage) in r.stages.enumerated() {
        let h = height >> (k + 2), w = width >> (k + 2)
        for block in stage.blocks {
            for pair in block.convolutions { total += convFlops(pair.conv, h, w) }
            if let d = block.downsample { total += convFlops(d.conv, h, w) }
        }
    }
    return (total, first)
}

/// One image through a depth decoder.
private func decoderFlops(_ decoder: DepthDecoder, height: Int, width: Int) -> Double {
    var total = 0.0
    for i in 0...4 {
        total += convFlops(decoder.upconvs[i].0.conv.conv, height >> (i + 1), width >> (i + 1))
        total += convFlops(decoder.upconvs[i].1.conv.conv, height >> i, width >> i)
    }
    for (k, s) in decoder.scales.enumerated() { total += convFlops(decoder.dispconvs[k].conv, height >> s, width >> s) }
    return total
}
