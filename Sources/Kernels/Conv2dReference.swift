// Naive direct convolution loops: the oracle the fast kernels are tested against. Never on a hot path.

public func referenceConv2dForward(_ g: Conv2dGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                   bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
    let oh = g.outHeight, ow = g.outWidth
    for n in 0..<g.batch {
        for co in 0..<g.outChannels {
            for y in 0..<oh {
                for x in 0..<ow {
                    var sum: Float = bias?[co] ?? 0
                    for ci in 0..<g.inChannels {
                        for ky in 0..<g.kernelHeight {
                            let iy = y * g.strideY - g.padY + ky
                            if iy < 0 || iy >= g.inHeight { continue }
                            for kx in 0..<g.kernelWidth {
                                let ix = x * g.strideX - g.padX + kx
                                if ix < 0 || ix >= g.inWidth { continue }
                                let iv = input[((n * g.inChannels + ci) * g.inHeight + iy) * g.inWidth + ix]
                                let wv = weight[((co * g.inChannels + ci) * g.kernelHeight + ky) * g.kernelWidth + kx]
                                sum += iv * wv
                            }
                        }
                    }
                    output[((n * g.outChannels + co) * oh + y) * ow + x] = sum
                }
            }
        }
    }
}

public func referenceConv2dBackwardInput(_ g: Conv2dGeometry, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                         gradInput: UnsafeMutablePointer<Float>) {
    let oh = g.outHeight, ow = g.outWidth
    gradInput.update(repeating: 0, count: g.batch * g.inChannels * g.inHeight * g.inWidth)
    for n in 0..<g.batch {
        for co in 0..<g.outChannels {
            for y in 0..<oh {
                for x in 0..<ow {
                    let go = gradOutput[((n * g.outChannels + co) * oh + y) * ow + x]
                    for ci in 0..<g.inChannels {
                        for ky in 0..<g.kernelHeight {
                            let iy = y * g.strideY - g.padY + ky
                            if iy < 0 || iy >= g.inHeight { continue }
                            for kx in 0..<g.kernelWidth {
                                let ix = x * g.strideX - g.padX + kx
                                if ix < 0 || ix >= g.inWidth { continue }
                                let wv = weight[((co * g.inChannels + ci) * g.kernelHeight + ky) * g.kernelWidth + kx]
                                gradInput[((n * g.inChannels + ci) * g.inHeight + iy) * g.inWidth + ix] += go * wv
                            }
                        }
                    }
                }
            }
        }
    }
}

public func referenceConv2dBackwardWeight(_ g: Conv2dGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                          gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>?) {
    let oh = g.outHeight, ow = g.outWidth
    gradWeight.update(repeating: 0, count: g.outChannels * g.inChannels * g.kernelHeight * g.kernelWidth)
    gradBias?.update(repeating: 0, count: g.outChannels)
    for n in 0..<g.batch {
        for co in 0..<g.outChannels {
            for y in 0..<oh {
                for x in 0..<ow {
                    let go = gradOutput[((n * g.outChannels + co) * oh + y) * ow + x]
                    gradBias?[co] += go
                    for ci in 0..<g.inChannels {
                        for ky in 0..<g.kernelHeight {
                            let iy = y * g.strideY - g.padY + ky
                            if iy < 0 || iy >= g.inHeight { continue }
                            for kx in 0..<g.kernelWidth {
                                let ix = x * g.strideX - g.padX + kx
                                if ix < 0 || ix >= g.inWidth { continue }
                                let iv = input[((n * g.inChannels + ci) * g.inHeight + iy) * g.inWidth + ix]
                                gradWeight[((co * g.inChannels + ci) * g.kernelHeight + ky) * g.kernelWidth + kx] += go * iv
                            }
                        }
                    }
                }
            }
        }
    }
}
