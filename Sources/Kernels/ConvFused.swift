// Inference-only convolution helpers (networks engineer's file): reflection padding folded into the
// convolution call (padded into a workspace buffer, never a tensor) and an epilogue that adds a
// residual and applies the activation in one pass over the output.

/// The activation applied by `convEpilogue` / `conv2dForwardFused`.
public enum ConvActivation: Sendable, Equatable {
    case identity, relu, elu, sigmoid
}

/// y[i] = activation(y[i] + residual[i]) in place for i in 0..<count (`residual` may be nil).
/// ELU (α = 1) and sigmoid use the same `fastExp` formulas as `unaryForward`.
public func convEpilogue(_ y: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?, activation: ConvActivation,
                         count: Int) {
    if activation == .identity && residual == nil { return }
    let ys = SendablePointer(y), rs = residual.map { SendablePointer(UnsafeMutablePointer(mutating: $0)) }
    let chunks = (count + elementwiseChunk - 1) / elementwiseChunk
    let cost = activation == .elu || activation == .sigmoid ? 24 : 8
    Parallel.forEach(chunks, estimatedWork: count * cost) { chunk in
        let start = chunk * elementwiseChunk
        let n = min(elementwiseChunk, count - start)
        epilogueSerial(ys.pointer + start, rs.map { UnsafePointer($0.pointer + start) }, activation, n)
    }
}

@inline(__always)
func epilogueSerial(_ y: UnsafeMutablePointer<Float>, _ r: UnsafePointer<Float>?, _ activation: ConvActivation, _ n: Int) {
    if let r {
        for i in 0..<n { y[i] += r[i] }
    }
    switch activation {
    case .identity: break
    case .relu: for i in 0..<n { let v = y[i]; y[i] = v > 0 ? v : (v.isNaN ? v : 0) }
    case .elu: mapSIMD(ELUMap.self, y, y, n)
    case .sigmoid: mapSIMD(SigmoidMap.self, y, y, n)
    }
}

/// output = activation(conv(pad(input), weight) + bias + residual).
///
/// `g` is the geometry of the convolution proper; with `reflectionPadding` r > 0 its input is the
/// reflection-padded image, so `g.inHeight`/`g.inWidth` are the UNPADDED sizes of `input`, g.padY and
/// g.padX must be 0, and every image is padded by r (row −1 = row 1, r < size) into a workspace
/// buffer before its convolution. `residual` has the output's shape. `winogradWeights` (from
/// `winogradTransformWeights`) enables the Winograd F(2×2, 3×3) path for 3×3 stride-1 "same"
/// convolutions (padding 1 or reflection padding 1) where it pays (`winogradApplies`).
public func conv2dForwardFused(_ g: Conv2dGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                               bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?, activation: ConvActivation,
                               reflectionPadding r: Int = 0, winogradWeights: UnsafePointer<Float>? = nil,
                               output: UnsafeMutablePointer<Float>) {
    if let u = winogradWeights, g.kernelHeight == 3, g.kernelWidth == 3, g.strideY == 1, g.strideX == 1,
       (r == 1 && g.padY == 0 && g.padX == 0) || (r == 0 && g.padY == 1 && g.padX == 1), g.inHeight >= 2, g.inWidth >= 2,
       winogradApplies(outChannels: g.outChannels, inChannels: g.inChannels, outHeight: g.inHeight, outWidth: g.inWidth) {
        let plan = WinogradPlan(channels: g.inChannels, outChannels: g.outChannels, outHeight: g.inHeight, outWidth: g.inWidth)
        let inPlane = g.inChannels * g.inHeight * g.inWidth, outPlane = g.outChannels * g.inHeight * g.inWidth
        Workspace.shared.withBuffer(floats: g.inChannels * plan.paddedHeight * plan.paddedWidth) { padded in
            for n in 0..<g.batch {
                winogradPad(plan, input: input + n * inPlane, height: g.inHeight, width: g.inWidth, pad: 1, reflect: r == 1,
                            padded: padded)
                winogradConv2d(plan, input: padded, u: u, bias: bias, residual: residual.map { $0 + n * outPlane },
                               activation: activation, output: output + n * outPlane)
            }
        }
        return
    }
    if r == 0 {
        conv2dForward(g, input: input, weight: weight, bias: bias, output: output)
        convEpilogue(output, residual: residual, activation: activation, count: g.batch * g.outChannels * g.outHeight * g.outWidth)
        return
    }
    precondition(g.padY == 0 && g.padX == 0 && r < g.inHeight && r < g.inWidth,
                 "conv2dForwardFused: reflection padding \(r) with \(g)")
    var padded = g
    padded.batch = 1
    padded.inHeight += 2 * r
    padded.inWidth += 2 * r
    let inPlane = g.inChannels * g.inHeight * g.inWidth
    let paddedPlane = g.inChannels * padded.inHeight * padded.inWidth
    let outPlane = g.outChannels * padded.outHeight * padded.outWidth
    let direct = residual == nil && g.kernelHeight == g.kernelWidth
        && directConvApplies(outChannels: g.outChannels, outWidth: padded.outWidth, strideY: g.strideY, strideX: g.strideX)
    Workspace.shared.withBuffer(floats: paddedPlane) { buffer in
        for n in 0..<g.batch {
            reflectionPad2dForward(planes: g.inChannels, inHeight: g.inHeight, inWidth: g.inWidth, top: r, bottom: r,
                                   left: r, right: r, input: input + n * inPlane, output: buffer)
            if direct {
                directConv2d(input: buffer, channels: g.inChannels, height: padded.inHeight, width: padded.inWidth,
                             kernel: g.kernelHeight, weight: weight, bias: bias, outChannels: g.outChannels,
                             activation: activation, output: output + n * outPlane)
            } else {
                conv2dForward(padded, input: buffer, weight: weight, bias: bias, output: output + n * outPlane)
            }
        }
    }
    if !direct { convEpilogue(output, residual: residual, activation: activation, count: g.batch * outPlane) }
}

extension Conv2dGeometry {
    /// Output height when the input is first reflection-padded by `r`.
    public func outHeight(reflectionPadding r: Int) -> Int { (inHeight + 2 * r + 2 * padY - kernelHeight) / strideY + 1 }
    /// Output width when the input is first reflection-padded by `r`.
    public func outWidth(reflectionPadding r: Int) -> Int { (inWidth + 2 * r + 2 * padX - kernelWidth) / strideX + 1 }
}

/// output (N, C + Cs, 2H, 2W) = concat(upsampleNearest2(x), skip) along channels, in one pass:
/// x (N, C, H, W), skip (N, Cs, 2H, 2W) (`skipChannels` may be 0, `skip` then nil).
public func upsampleNearest2Concat(batch: Int, channels: Int, height: Int, width: Int, x: UnsafePointer<Float>,
                                   skipChannels: Int, skip: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
    let plane = 4 * height * width
    let total = channels + skipChannels
    for n in 0..<batch {
        upsampleNearestForward(planes: channels, inHeight: height, inWidth: width, factor: 2,
                               input: x + n * channels * height * width, output: output + n * total * plane)
        if skipChannels > 0, let skip {
            let count = skipChannels * plane
            let src = SendablePointer(UnsafeMutablePointer(mutating: skip + n * count))
            let dst = SendablePointer(output + (n * total + channels) * plane)
            let chunks = (count + elementwiseChunk - 1) / elementwiseChunk
            Parallel.forEach(chunks, estimatedWork: count * 8) { chunk in
                let start = chunk * elementwiseChunk
                (dst.pointer + start).update(from: src.pointer + start, count: min(elementwiseChunk, count - start))
            }
        }
    }
}
