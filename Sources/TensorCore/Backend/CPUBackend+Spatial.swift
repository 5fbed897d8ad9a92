import Kernels

extension CPUBackend {
    public func maxPool2d(_ x: Tensor, geometry g: Pool2dGeometry) -> (output: Tensor, indices: Tensor) {
        let (xc, xp) = input(x)
        let shape = [x.shape[0], x.shape[1], g.outHeight, g.outWidth]
        let (out, op_) = output(shape)
        let indices = allocate(shape: shape, dtype: .int32)
        withExtendedLifetime((xc, out, indices)) {
            maxPool2dForward(g, input: xp, output: op_, indices: typed(indices, Int32.self))
        }
        return (out, indices)
    }

    public func maxPool2dBackward(gradOutput: Tensor, indices: Tensor, geometry g: Pool2dGeometry, inputShape: [Int]) -> Tensor {
        let (gc, gp) = input(gradOutput)
        let ic = contiguous(indices)
        let (out, op_) = output(inputShape)
        withExtendedLifetime((gc, ic, out)) {
            Kernels.maxPool2dBackward(g, gradOutput: gp, indices: typed(ic, Int32.self), gradInput: op_)
        }
        return out
    }

    public func avgPool2d(_ x: Tensor, geometry g: Pool2dGeometry) -> Tensor {
        let (xc, xp) = input(x)
        let (out, op_) = output([x.shape[0], x.shape[1], g.outHeight, g.outWidth])
        withExtendedLifetime((xc, out)) { avgPool2dForward(g, input: xp, output: op_) }
        return out
    }

    public func avgPool2dBackward(gradOutput: Tensor, geometry g: Pool2dGeometry, inputShape: [Int]) -> Tensor {
        let (gc, gp) = input(gradOutput)
        let (out, op_) = output(inputShape)
        withExtendedLifetime((gc, out)) { Kernels.avgPool2dBackward(g, gradOutput: gp, gradInput: op_) }
        return out
    }

    public func reflectionPad2d(_ x: Tensor, pads: (Int, Int, Int, Int)) -> Tensor {
        let (xc, xp) = input(x)
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (out, op_) = output([n, c, h + pads.0 + pads.1, w + pads.2 + pads.3])
        withExtendedLifetime((xc, out)) {
            reflectionPad2dForward(planes: n * c, inHeight: h, inWidth: w, top: pads.0, bottom: pads.1, left: pads.2,
                                   right: pads.3, input: xp, output: op_)
        }
        return out
    }

    public func reflectionPad2dBackward(gradOutput: Tensor, pads: (Int, Int, Int, Int), inputShape: [Int]) -> Tensor {
        let (gc, gp) = input(gradOutput)
        let (out, op_) = output(inputShape)
        withExtendedLifetime((gc, out)) {
            Kernels.reflectionPad2dBackward(planes: inputShape[0] * inputShape[1], inHeight: inputShape[2], inWidth: inputShape[3],
                                            top: pads.0, bottom: pads.1, left: pads.2, right: pads.3,
                                            gradOutput: gp, gradInput: op_)
        }
        return out
    }

    public func upsampleNearest2d(_ x: Tensor, factor: Int) -> Tensor {
        let (xc, xp) = input(x)
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (out, op_) = output([n, c, h * factor, w * factor])
        withExtendedLifetime((xc, out)) {
            upsampleNearestForward(planes: n * c, inHeight: h, inWidth: w, factor: factor, input: xp, output: op_)
        }
        return out
    }

    public func upsampleNearest2dBackward(gradOutput: Tensor, factor: Int, inputShape: [Int]) -> Tensor {
        let (gc, gp) = input(gradOutput)
        let (out, op_) = output(inputShape)
        withExtendedLifetime((gc, out)) {
            Kernels.upsampleNearestBackward(planes: inputShape[0] * inputShape[1], inHeight: inputShape[2],
                                            inWidth: inputShape[3], factor: factor, gradOutput: gp, gradInput: op_)
        }
        return out
    }

    public func resizeBilinear(_ x: Tensor, height: Int, width: Int) -> Tensor {
        let (xc, xp) = input(x)
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (out, op_) = output([n, c, height, width])
        withExtendedLifetime((xc, out)) {
            resizeBilinearForward(planes: n * c, inHeight: h, inWidth: w, outHeight: height, outWidth: width,
                                  input: xp, output: op_)
        }
        return out
    }

    public func resizeBilinearBackward(gradOutput: Tensor, inputShape: [Int]) -> Tensor {
        let (gc, gp) = input(gradOutput)
        let (out, op_) = output(inputShape)
        withExtendedLifetime((gc, out)) {
            Kernels.resizeBilinearBackward(planes: inputShape[0] * inputShape[1], inHeight: inputShape[2],
                                           inWidth: inputShape[3], outHeight: gradOutput.shape[2],
                                           outWidth: gradOutput.shape[3], gradOutput: gp, gradInput: op_)
        }
        return out
    }

    private func gridGeometry(_ x: Tensor, _ grid: Tensor) -> GridSampleGeometry {
        GridSampleGeometry(batch: x.shape[0], channels: x.shape[1], inHeight: x.shape[2], inWidth: x.shape[3],
                           outHeight: grid.shape[1], outWidth: grid.shape[2])
    }

    public func gridSample(_ x: Tensor, grid: Tensor) -> Tensor {
        let g = gridGeometry(x, grid)
        let (xc, xp) = input(x), (gc, gp) = input(grid)
        let (out, op_) = output([g.batch, g.channels, g.outHeight, g.outWidth])
        withExtendedLifetime((xc, gc, out)) { gridSampleForward(g, input: xp, grid: gp, output: op_) }
        return out
    }

    public func gridSampleBackward(_ x: Tensor, grid: Tensor, gradOutput: Tensor, needInput: Bool,
                                   needGrid: Bool) -> (Tensor?, Tensor?) {
        let g = gridGeometry(x, grid)
        let (xc, xp) = input(x), (gc, gp) = input(grid), (goc, gop) = input(gradOutput)
        let dx = needInput ? output(x.shape) : nil
        let dg = needGrid ? output(grid.shape) : nil
        withExtendedLifetime((xc, gc, goc, dx?.0, dg?.0)) {
            Kernels.gridSampleBackward(g, input: xp, grid: gp, gradOutput: gop, gradInput: dx?.1, gradGrid: dg?.1)
        }
        return (dx?.0, dg?.0)
    }

    // MARK: Batch normalisation

    private func bnDims(_ x: Tensor) -> (Int, Int, Int) {
        (x.shape[0], x.shape[1], Shape.count(Array(x.shape[2...])))
    }

    public func batchNormStatistics(_ x: Tensor, replicas: (any ReplicaGroup)?) -> (mean: Tensor, variance: Tensor, count: Int) {
        let (n, c, s) = bnDims(x)
        let (xc, xp) = input(x)
        let (mean, mp) = output([c]), (variance, vp) = output([c])
        let combine: ChannelSumCombiner? = replicas.map { group in { group.sum($0) } }
        let count = withExtendedLifetime((xc, mean, variance)) {
            Kernels.batchNormStatistics(xp, batch: n, channels: c, spatial: s, mean: mp, variance: vp, combine: combine)
        }
        return (mean, variance, count)
    }

    public func batchNormApply(_ x: Tensor, mean: Tensor, invStd: Tensor, weight: Tensor?, bias: Tensor?) -> Tensor {
        let (n, c, s) = bnDims(x)
        let (xc, xp) = input(x), (mc, mp) = input(mean), (ic, ip) = input(invStd)
        let wc = weight.map { contiguous($0) }, bc = bias.map { contiguous($0) }
        let (out, op_) = output(x.shape)
        withExtendedLifetime((xc, mc, ic, wc, bc, out)) {
            Kernels.batchNormApply(xp, batch: n, channels: c, spatial: s, mean: mp, invStd: ip,
                                   weight: wc.map { UnsafePointer(floats($0)) }, bias: bc.map { UnsafePointer(floats($0)) },
                                   output: op_)
        }
        return out
    }

    public func batchNormBackward(_ x: Tensor, gradOutput: Tensor, mean: Tensor, invStd: Tensor, weight: Tensor?,
                                  training: Bool, needInput: Bool,
                                  replicas: (any ReplicaGroup)?) -> (gradInput: Tensor?, gradWeight: Tensor, gradBias: Tensor) {
        let (n, c, s) = bnDims(x)
        let (xc, xp) = input(x), (gc, gp) = input(gradOutput), (mc, mp) = input(mean), (ic, ip) = input(invStd)
        let wc = weight.map { contiguous($0) }
        let (sumGrad, sp) = output([c]), (dot, dp) = output([c])
        let dx = needInput ? output(x.shape) : nil
        let (gw, gwp) = output([c])
        let synchronised = training && needInput ? replicas : nil
        withExtendedLifetime((xc, gc, mc, ic, wc, sumGrad, dot, dx?.0, gw)) {
            var sums = [Double](repeating: 0, count: synchronised == nil ? 0 : 2 * c + 1)
            sums.withUnsafeMutableBufferPointer { buffer in
                batchNormGradientSums(xp, gradOutput: gp, batch: n, channels: c, spatial: s, mean: mp, sumGrad: sp, dot: dp,
                                      sums: synchronised == nil ? nil : buffer.baseAddress)
            }
            for i in 0..<c { gwp[i] = dp[i] * ip[i] }
            guard let dx else { return }
            // SyncBN: the input gradient takes the sums (and the count) over every replica; the
            // parameter gradients above stay this replica's own.
            var globalSums = sp, globalDot = dp, count = n * s
            var combined = [Float](repeating: 0, count: synchronised == nil ? 0 : 2 * c)
            if let synchronised {
                sums[2 * c] = Double(n * s)
                sums.withUnsafeMutableBufferPointer { synchronised.sum($0) }
                for i in 0..<(2 * c) { combined[i] = Float(sums[i]) }
                count = Int(sums[2 * c])
            }
            combined.withUnsafeMutableBufferPointer { buffer in
                if synchronised != nil, let base = buffer.baseAddress {
                    globalSums = base
                    globalDot = base + c
                }
                batchNormBackwardInput(xp, gradOutput: gp, batch: n, channels: c, spatial: s, mean: mp, invStd: ip,
                                       weight: wc.map { UnsafePointer(floats($0)) }, sumGrad: globalSums, dot: globalDot,
                                       training: training, gradInput: dx.1, count: count)
            }
        }
        return (dx?.0, gw, sumGrad)
    }

}
