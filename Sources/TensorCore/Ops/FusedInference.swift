import Kernels

// Inference-only fused ops (networks engineer's file): no autodiff, so inputs must not be tracked
// by a tape. Other backends fall back to compositions of the ordinary ops.

/// The activation of `fusedConv2d`.
public typealias FusedActivation = ConvActivation

/// activation(conv2d(reflectionPad(x), weight, bias) + residual) in one op: the reflection padding
/// (r = `reflectionPadding`, then `padding` must be 0) never becomes a tensor and the residual add
/// and activation are one pass over the output.
/// x (N, Cin, H, W), weight (Cout, Cin, kh, kw), bias (Cout)?, residual (N, Cout, Ho, Wo)?.
/// `winogradWeights` (from `winogradWeights(_:)`) lets 3×3 stride-1 "same" convolutions with enough
/// pixels and channels run as Winograd F(2×2, 3×3) (2.25× fewer multiply-adds).
public func fusedConv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0,
                        reflectionPadding: Int = 0, residual: Tensor? = nil,
                        activation: FusedActivation = .identity, winogradWeights: Tensor? = nil) -> Tensor {
    precondition(x.rank == 4 && weight.rank == 4 && x.shape[1] == weight.shape[1] && x.dtype == .float32 && weight.dtype == .float32,
                 "fusedConv2d: input \(x.shape) and weight \(weight.shape) (need float32 (N,C,H,W) and (Cout,C,kh,kw))")
    precondition(bias == nil || bias!.shape == [weight.shape[0]], "fusedConv2d: bias \(bias?.shape ?? []) for weight \(weight.shape)")
    precondition(stride > 0 && padding >= 0 && reflectionPadding >= 0 && (reflectionPadding == 0 || padding == 0),
                 "fusedConv2d: stride \(stride), padding \(padding), reflection padding \(reflectionPadding)")
    precondition(reflectionPadding < x.shape[2] && reflectionPadding < x.shape[3],
                 "fusedConv2d: reflection padding \(reflectionPadding) for input \(x.shape)")
    precondition(!x.isTracked && !weight.isTracked && !(bias?.isTracked ?? false) && !(residual?.isTracked ?? false),
                 "fusedConv2d: inference only (an input is tracked by a tape); use conv2d and the layer ops")
    let g = Conv2dGeometry(batch: x.shape[0], inChannels: x.shape[1], inHeight: x.shape[2], inWidth: x.shape[3],
                           outChannels: weight.shape[0], kernelHeight: weight.shape[2], kernelWidth: weight.shape[3],
                           strideY: stride, strideX: stride, padY: padding, padX: padding)
    let r = reflectionPadding
    precondition(x.shape[2] + 2 * (padding + r) >= weight.shape[2] && x.shape[3] + 2 * (padding + r) >= weight.shape[3],
                 "fusedConv2d: kernel \(weight.shape) larger than padded input \(x.shape)")
    let outShape = [g.batch, g.outChannels, g.outHeight(reflectionPadding: r), g.outWidth(reflectionPadding: r)]
    if let residual {
        precondition(residual.shape == outShape, "fusedConv2d: residual \(residual.shape) for output \(outShape)")
    }
    if let winogradWeights {
        precondition(winogradWeights.shape == [16, weight.shape[0], weight.shape[1]] && weight.shape[2] == 3 && weight.shape[3] == 3,
                     "fusedConv2d: Winograd weights \(winogradWeights.shape) for weight \(weight.shape)")
    }
    if let cpu = x.backend as? CPUBackend {
        return cpu.fusedConv2d(x, weight: weight, bias: bias, geometry: g, reflectionPadding: r, residual: residual,
                               activation: activation, winogradWeights: winogradWeights, outShape: outShape)
    }
    var y = conv2d(r > 0 ? reflectionPad2d(x, padding: r) : x, weight: weight, bias: bias, stride: stride, padding: padding)
    if let residual { y = y + residual }
    switch activation {
    case .identity: return y
    case .relu: return y.relu()
    case .elu: return y.elu()
    case .sigmoid: return y.sigmoid()
    }
}

/// concat([upsampleNearest2d(x, 2), skip], channels) in one pass; `skip` (N, Cs, 2H, 2W) or nil.
/// Inference only (no gradient).
public func upsampleNearest2Concat(_ x: Tensor, skip: Tensor?) -> Tensor {
    precondition(x.rank == 4 && x.dtype == .float32, "upsampleNearest2Concat: input \(x.dtype) \(x.shape)")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    if let skip {
        precondition(skip.rank == 4 && skip.shape[0] == n && skip.shape[2] == 2 * h && skip.shape[3] == 2 * w && skip.dtype == .float32,
                     "upsampleNearest2Concat: skip \(skip.shape) for input \(x.shape)")
    }
    precondition(!x.isTracked && !(skip?.isTracked ?? false), "upsampleNearest2Concat: inference only (an input is tracked)")
    guard let cpu = x.backend as? CPUBackend else {
        let up = upsampleNearest2d(x, factor: 2)
        return skip.map { concat([up, $0], axis: 1) } ?? up
    }
    let cs = skip?.shape[1] ?? 0
    let (xc, xp) = cpu.input(x)
    let sc = skip.map { cpu.contiguous($0) }
    let (out, op_) = cpu.output([n, c + cs, 2 * h, 2 * w])
    withExtendedLifetime((xc, sc, out)) {
        Kernels.upsampleNearest2Concat(batch: n, channels: c, height: h, width: w, x: xp, skipChannels: cs,
                                       skip: sc.map { UnsafePointer(cpu.floats($0)) }, output: op_)
    }
    return out
}

/// The Winograd F(2×2, 3×3) transform U (16, Cout, Cin) of a 3×3 weight (Cout, Cin, 3, 3), for
/// `fusedConv2d(winogradWeights:)`; nil on backends without the Winograd path.
public func winogradWeights(_ weight: Tensor) -> Tensor? {
    precondition(weight.rank == 4 && weight.shape[2] == 3 && weight.shape[3] == 3 && weight.dtype == .float32,
                 "winogradWeights: weight \(weight.dtype) \(weight.shape) (need float32 (Cout, Cin, 3, 3))")
    guard let cpu = weight.backend as? CPUBackend else { return nil }
    let (co, ci) = (weight.shape[0], weight.shape[1])
    let (wc, wp) = cpu.input(weight.detached())
    let (out, op_) = cpu.output([16, co, ci])
    withExtendedLifetime((wc, out)) { winogradTransformWeights(wp, outChannels: co, inChannels: ci, into: op_) }
    return out
}

/// Max pooling without indices (inference only; same values as `maxPool2d`, −inf padding).
public func maxPool2dInference(_ x: Tensor, kernel: Int, stride: Int, padding: Int = 0) -> Tensor {
    precondition(x.rank == 4 && x.dtype == .float32 && kernel > 0 && stride > 0 && padding >= 0 && padding * 2 <= kernel
                 && x.shape[2] + 2 * padding >= kernel && x.shape[3] + 2 * padding >= kernel,
                 "maxPool2dInference: kernel \(kernel) stride \(stride) padding \(padding) for input \(x.dtype) \(x.shape)")
    precondition(!x.isTracked, "maxPool2dInference: inference only (the input is tracked); use maxPool2d")
    guard let cpu = x.backend as? CPUBackend else { return maxPool2d(x, kernel: kernel, stride: stride, padding: padding) }
    let g = Pool2dGeometry(planes: x.shape[0] * x.shape[1], inHeight: x.shape[2], inWidth: x.shape[3],
                           kernel: kernel, stride: stride, padding: padding)
    let (xc, xp) = cpu.input(x)
    let (out, op_) = cpu.output([x.shape[0], x.shape[1], g.outHeight, g.outWidth])
    withExtendedLifetime((xc, out)) { Kernels.maxPool2dInference(g, input: xp, output: op_) }
    return out
}

extension CPUBackend {
    func fusedConv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, geometry g: Conv2dGeometry, reflectionPadding r: Int,
                     residual: Tensor?, activation: FusedActivation, winogradWeights: Tensor?, outShape: [Int]) -> Tensor {
        let (xc, xp) = input(x), (wc, wp) = input(weight)
        let bc = bias.map { contiguous($0) }, rc = residual.map { contiguous($0) }, uc = winogradWeights.map { contiguous($0) }
        let (out, op_) = output(outShape)
        withExtendedLifetime((xc, wc, bc, rc, uc, out)) {
            conv2dForwardFused(g, input: xp, weight: wp, bias: bc.map { UnsafePointer(floats($0)) },
                               residual: rc.map { UnsafePointer(floats($0)) }, activation: activation,
                               reflectionPadding: r, winogradWeights: uc.map { UnsafePointer(floats($0)) }, output: op_)
        }
        return out
    }
}
