/// Helpers shared by the convolution entry points (Conv2d.swift).

extension Conv2dGeometry {
    /// 1×1, stride 1, no padding: the image itself is the GEMM operand (no im2col).
    var isPointwise: Bool {
        kernelHeight == 1 && kernelWidth == 1 && strideY == 1 && strideX == 1 && padY == 0 && padX == 0
    }

    /// For stride 1 with padding ≤ kernel − 1: the geometry of the forward convolution that
    /// computes this one's input gradient (input = gradOutput, weights flipped and channel-swapped).
    var strideOneTransposedGeometry: Conv2dGeometry? {
        guard strideY == 1, strideX == 1, padY <= kernelHeight - 1, padX <= kernelWidth - 1 else { return nil }
        let t = Conv2dGeometry(batch: batch, inChannels: outChannels, inHeight: outHeight, inWidth: outWidth,
                               outChannels: inChannels, kernelHeight: kernelHeight, kernelWidth: kernelWidth,
                               strideY: 1, strideX: 1, padY: kernelHeight - 1 - padY, padX: kernelWidth - 1 - padX)
        return t.outHeight == inHeight && t.outWidth == inWidth ? t : nil
    }
}

/// Programming-error checks common to the three convolution kernels.
func conv2dCheck(_ g: Conv2dGeometry, _ op: String) {
    precondition(g.batch >= 0 && g.inChannels >= 0 && g.outChannels >= 0 && g.inHeight >= 0 && g.inWidth >= 0,
                 "\(op): negative size in \(g)")
    precondition(g.kernelHeight >= 1 && g.kernelWidth >= 1 && g.strideY >= 1 && g.strideX >= 1
                 && g.padY >= 0 && g.padX >= 0, "\(op): bad kernel/stride/padding in \(g)")
    precondition(g.inHeight + 2 * g.padY >= g.kernelHeight && g.inWidth + 2 * g.padX >= g.kernelWidth,
                 "\(op): kernel larger than the padded input in \(g)")
}

/// Runs `body(n)` for each image. Large images run one after another, each GEMM using every
/// thread; small ones are spread over threads image by image (their GEMMs then run inline).
func forEachImage(_ g: Conv2dGeometry, flopsPerImage: Int, _ body: (Int) -> Void) {
    if g.batch > 1 && flopsPerImage < 8 * GEMMBlocking.parallelFlops {
        Parallel.forEach(g.batch, estimatedWork: flopsPerImage * g.batch, body)
    } else {
        for n in 0..<g.batch { body(n) }
    }
}

/// gradBias[co] = Σ_n Σ_pixels gradOutput[n][co], with SIMD partial sums.
func biasGradient(_ g: Conv2dGeometry, gradOutput: UnsafePointer<Float>, into gradBias: UnsafeMutablePointer<Float>) {
    let pixels = g.outHeight * g.outWidth
    let dY = SendablePointer(UnsafeMutablePointer(mutating: gradOutput)), out = SendablePointer(gradBias)
    Parallel.forEach(g.outChannels, estimatedWork: g.batch * g.outChannels * pixels) { co in
        var total: Float = 0
        for n in 0..<g.batch {
            total += sumFloats(UnsafePointer(dY.pointer) + (n * g.outChannels + co) * pixels, count: pixels)
        }
        out.pointer[co] = total
    }
}

/// Σ x[0..<count] with four SIMD8 accumulators.
func sumFloats(_ x: UnsafePointer<Float>, count: Int) -> Float {
    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
    let raw = UnsafeRawPointer(x)
    var i = 0
    while i + 32 <= count {
        a0 += raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
        a1 += raw.loadUnaligned(fromByteOffset: 4 * i + 32, as: SIMD8<Float>.self)
        a2 += raw.loadUnaligned(fromByteOffset: 4 * i + 64, as: SIMD8<Float>.self)
        a3 += raw.loadUnaligned(fromByteOffset: 4 * i + 96, as: SIMD8<Float>.self)
        i += 32
    }
    var total = ((a0 + a1) + (a2 + a3)).sum()
    while i < count { total += x[i]; i += 1 }
    return total
}
