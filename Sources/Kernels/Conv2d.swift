/// Geometry of a 2-D convolution over NCHW data (cross-correlation, zero padding, no dilation,
/// no groups): input (batch, inChannels, inHeight, inWidth), weight (outChannels, inChannels,
/// kernelHeight, kernelWidth), output (batch, outChannels, outHeight, outWidth).
public struct Conv2dGeometry: Sendable, Equatable, CustomStringConvertible {
    public var batch, inChannels, inHeight, inWidth: Int
    public var outChannels, kernelHeight, kernelWidth: Int
    public var strideY, strideX, padY, padX: Int

    public init(batch: Int, inChannels: Int, inHeight: Int, inWidth: Int,
                outChannels: Int, kernelHeight: Int, kernelWidth: Int,
                strideY: Int = 1, strideX: Int = 1, padY: Int = 0, padX: Int = 0) {
        self.batch = batch; self.inChannels = inChannels; self.inHeight = inHeight; self.inWidth = inWidth
        self.outChannels = outChannels; self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth
        self.strideY = strideY; self.strideX = strideX; self.padY = padY; self.padX = padX
    }

    public var outHeight: Int { (inHeight + 2 * padY - kernelHeight) / strideY + 1 }
    public var outWidth: Int { (inWidth + 2 * padX - kernelWidth) / strideX + 1 }
    /// Multiply-adds × 2 of the forward pass.
    public var forwardFlops: Int { 2 * batch * outChannels * outHeight * outWidth * inChannels * kernelHeight * kernelWidth }

    public var description: String {
        "conv \(batch)x\(inChannels)x\(inHeight)x\(inWidth) -> \(outChannels) k\(kernelHeight)x\(kernelWidth) s\(strideY)x\(strideX) p\(padY)x\(padX)"
    }
}

// CONTRACT: these three signatures are stable. Each OVERWRITES its output (no accumulation).
// They run as GEMMs with the blocked multithreaded SGEMM driver: forward over an implicit im2col
// operand (Im2col.swift: panels packed straight from the image, no column matrix; 1×1 stride-1
// convolutions use the image itself); input gradient as a forward convolution with flipped
// weights (stride 1; other strides one such convolution per stride phase, Conv2dInputGradient.swift);
// weight gradient from shifted views of the padded image
// (Conv2dWeightGradient.swift). Small images (a few hundred pixels each) run as one GEMM over the
// whole batch instead (Conv2dBatched.swift). `referenceConv2d*` (Conv2dReference.swift) is the oracle.

/// output = conv(input, weight) + bias. `bias` may be nil.
/// Shapes: input (batch, inChannels, inHeight, inWidth), weight (outChannels, inChannels, kh, kw),
/// bias (outChannels), output (batch, outChannels, outHeight, outWidth).
public func conv2dForward(_ g: Conv2dGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                          bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
    conv2dForward(g, input: input, weight: weight, bias: bias, output: output, isa: KernelDispatch.gemm)
}

/// `conv2dForward` on the kernels of `isa` (tests compare the ISAs in one process).
func conv2dForward(_ g: Conv2dGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                   bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>, isa: KernelISA) {
    conv2dCheck(g, "conv2dForward")
    let pixels = g.outHeight * g.outWidth, taps = g.inChannels * g.kernelHeight * g.kernelWidth
    if g.batch == 0 || g.outChannels == 0 || pixels == 0 { return }
    if taps == 0 {
        for n in 0..<g.batch {
            for co in 0..<g.outChannels {
                (output + (n * g.outChannels + co) * pixels).update(repeating: bias?[co] ?? 0, count: pixels)
            }
        }
        return
    }
    if Conv2dShifted.applies(g, isa: isa) {
        Conv2dShifted.forward(g, input: input, weight: weight, bias: bias, output: output, isa: isa)
        return
    }
    if Conv2dBatched.applies(g) {
        Conv2dBatched.forward(g, input: input, weight: weight, bias: bias, output: output, isa: isa)
        return
    }
    let weights = StridedMatrix(base: weight, rowStride: taps, columnStride: 1)
    let pointwise = g.isPointwise
    forEachImage(g, flopsPerImage: 2 * g.outChannels * pixels * taps) { n in
        let image = input + n * g.inChannels * g.inHeight * g.inWidth
        let out = GEMMOutput(base: output + n * g.outChannels * pixels, rowStride: pixels, columnStride: 1,
                             rowBias: bias)
        if pointwise {
            gemmDriver(m: g.outChannels, n: pixels, k: taps, alpha: 1, a: weights,
                       b: StridedMatrix(base: image, rowStride: pixels, columnStride: 1), beta: 0, c: out, isa: isa)
        } else {
            gemmDriver(m: g.outChannels, n: pixels, k: taps, alpha: 1, a: weights,
                       b: Im2colOperand(image: image, g: g), beta: 0, c: out, isa: isa)
        }
    }
}

/// gradInput = ∂(Σ output·gradOutput)/∂input. Shapes as in `conv2dForward`; gradOutput has the
/// output's shape, gradInput the input's.
public func conv2dBackwardInput(_ g: Conv2dGeometry, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                gradInput: UnsafeMutablePointer<Float>) {
    conv2dBackwardInput(g, gradOutput: gradOutput, weight: weight, gradInput: gradInput, isa: KernelDispatch.gemm)
}

/// `conv2dBackwardInput` on the kernels of `isa`.
func conv2dBackwardInput(_ g: Conv2dGeometry, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                         gradInput: UnsafeMutablePointer<Float>, isa: KernelISA) {
    conv2dCheck(g, "conv2dBackwardInput")
    let inputCount = g.batch * g.inChannels * g.inHeight * g.inWidth
    let pixels = g.outHeight * g.outWidth, taps = g.inChannels * g.kernelHeight * g.kernelWidth
    if inputCount == 0 { return }
    if g.outChannels == 0 || pixels == 0 || taps == 0 {
        gradInput.update(repeating: 0, count: inputCount)
        return
    }
    if let transposed = g.strideOneTransposedGeometry {
        // Stride 1: the input gradient is a full correlation of gradOutput with the flipped,
        // channel-swapped kernel, i.e. another forward convolution (no col2im scatter).
        let kh = g.kernelHeight, kw = g.kernelWidth
        Workspace.shared.withBuffer(floats: g.outChannels * taps) { flipped in
            for ci in 0..<g.inChannels {
                for co in 0..<g.outChannels {
                    let src = weight + (co * g.inChannels + ci) * kh * kw
                    let dst = flipped + (ci * g.outChannels + co) * kh * kw
                    for t in 0..<(kh * kw) { dst[t] = src[kh * kw - 1 - t] }
                }
            }
            conv2dForward(transposed, input: gradOutput, weight: flipped, bias: nil, output: gradInput, isa: isa)
        }
        return
    }
    conv2dBackwardInputByPhases(g, gradOutput: gradOutput, weight: weight, gradInput: gradInput, isa: isa)
}

/// gradWeight = ∂/∂weight and (if non-nil) gradBias = ∂/∂bias = Σ over batch and space of gradOutput.
public func conv2dBackwardWeight(_ g: Conv2dGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                 gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>?) {
    conv2dBackwardWeight(g, input: input, gradOutput: gradOutput, gradWeight: gradWeight, gradBias: gradBias,
                         isa: KernelDispatch.gemm)
}

/// `conv2dBackwardWeight` on the kernels of `isa`.
func conv2dBackwardWeight(_ g: Conv2dGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                          gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>?, isa: KernelISA) {
    conv2dCheck(g, "conv2dBackwardWeight")
    let pixels = g.outHeight * g.outWidth, taps = g.inChannels * g.kernelHeight * g.kernelWidth
    if let gradBias { biasGradient(g, gradOutput: gradOutput, into: gradBias) }
    if g.outChannels == 0 || taps == 0 { return }
    if g.batch == 0 || pixels == 0 {
        gradWeight.update(repeating: 0, count: g.outChannels * taps)
        return
    }
    if Conv2dBatched.applies(g) {
        Conv2dBatched.weightGradient(g, input: input, gradOutput: gradOutput, gradWeight: gradWeight, isa: isa)
        return
    }
    conv2dBackwardWeightShifted(g, input: input, gradOutput: gradOutput, gradWeight: gradWeight, isa: isa)
}
