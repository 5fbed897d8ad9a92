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
// The implementations behind them are the fast im2col/direct + SGEMM kernels; the loops below
// are the naive reference they replace (and are tested against).

/// output = conv(input, weight) + bias. `bias` may be nil.
public func conv2dForward(_ g: Conv2dGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                          bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
    referenceConv2dForward(g, input: input, weight: weight, bias: bias, output: output)
}

/// gradInput = ∂(Σ output·gradOutput)/∂input.
public func conv2dBackwardInput(_ g: Conv2dGeometry, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                gradInput: UnsafeMutablePointer<Float>) {
    referenceConv2dBackwardInput(g, gradOutput: gradOutput, weight: weight, gradInput: gradInput)
}

/// gradWeight = ∂/∂weight and (if non-nil) gradBias = ∂/∂bias = Σ over batch and space of gradOutput.
public func conv2dBackwardWeight(_ g: Conv2dGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                 gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>?) {
    referenceConv2dBackwardWeight(g, input: input, gradOutput: gradOutput, gradWeight: gradWeight, gradBias: gradBias)
}
