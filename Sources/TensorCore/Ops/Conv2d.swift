import Kernels

// 2-D convolution (cross-correlation, zero padding, no dilation or groups) with gradients for
// input, weight and bias (kernels in Kernels/Conv2d.swift, owned by the kernels engineer).

/// conv2d(x (N,Cin,H,W), weight (Cout,Cin,kh,kw), bias (Cout)?) → (N,Cout,Ho,Wo) with
/// Ho = (H + 2·padding − kh)/stride + 1 (same for W).
public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) -> Tensor {
    conv2d(x, weight: weight, bias: bias, stride: (stride, stride), padding: (padding, padding))
}

/// conv2d with separate (y, x) stride and padding.
public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, stride: (Int, Int), padding: (Int, Int)) -> Tensor {
    precondition(x.rank == 4 && weight.rank == 4 && x.shape[1] == weight.shape[1],
                 "conv2d: input \(x.shape) and weight \(weight.shape) (need (N,C,H,W) and (Cout,C,kh,kw))")
    precondition(x.dtype == .float32 && weight.dtype == .float32, "conv2d: float32 only, got \(x.dtype) and \(weight.dtype)")
    if let bias {
        precondition(bias.shape == [weight.shape[0]], "conv2d: bias \(bias.shape) for weight \(weight.shape)")
    }
    precondition(stride.0 > 0 && stride.1 > 0 && padding.0 >= 0 && padding.1 >= 0,
                 "conv2d: stride \(stride) padding \(padding) for input \(x.shape)")
    let g = Conv2dGeometry(batch: x.shape[0], inChannels: x.shape[1], inHeight: x.shape[2], inWidth: x.shape[3],
                           outChannels: weight.shape[0], kernelHeight: weight.shape[2], kernelWidth: weight.shape[3],
                           strideY: stride.0, strideX: stride.1, padY: padding.0, padX: padding.1)
    precondition(x.shape[2] + 2 * padding.0 >= weight.shape[2] && x.shape[3] + 2 * padding.1 >= weight.shape[3],
                 "conv2d: kernel \(weight.shape) larger than padded input \(x.shape) (padding \(padding))")
    let y = x.backend.conv2d(x.detached(), weight: weight.detached(), bias: bias?.detached(), geometry: g)
    var inputs = [x, weight]
    if let bias { inputs.append(bias) }
    guard let tape = Tape.active(inputs) else { return y }
    let xs = x.detached(), ws = weight.detached()
    let hasBias = bias != nil
    // Saved: the input (for the weight gradient) and the weight (for the input gradient).
    let xSaved: Tensor? = weight.isTracked || (bias?.isTracked ?? false) ? xs : nil
    let wSaved: Tensor? = x.isTracked ? ws : nil
    return tape.record("conv2d", y, inputs) { gy, need in
        var grads: [Tensor?] = [nil, nil]
        if need[0], let wSaved {
            grads[0] = gy.backend.conv2dBackwardInput(gradOutput: gy, weight: wSaved, geometry: g)
        }
        var gb: Tensor?
        if need[1] || (hasBias && need[2]), let xSaved {
            let (gw, b) = gy.backend.conv2dBackwardWeight(xSaved, gradOutput: gy, geometry: g, withBias: hasBias && need[2])
            grads[1] = need[1] ? gw : nil
            gb = b
        }
        if hasBias { grads.append(gb) }
        return grads
    }
}
