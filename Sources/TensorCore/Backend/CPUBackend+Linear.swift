import Kernels

extension CPUBackend {
    /// A matrix operand for sgemm: row-major as is, or transposed (column-major) without a copy.
    private func gemmOperand(_ t: Tensor) -> (Tensor, transposed: Bool, ld: Int, batchStride: Int) {
        let r = t.rank
        let rowStride = t.strides[r - 2], colStride = t.strides[r - 1]
        let rows = t.shape[r - 2], cols = t.shape[r - 1]
        let batchStride = r == 3 ? (t.shape[0] == 1 ? 0 : t.strides[0]) : 0
        if colStride == 1 && (rowStride >= cols || rows == 1) { return (t, false, max(rowStride, cols), batchStride) }
        if rowStride == 1 && (colStride >= rows || cols == 1) { return (t, true, max(colStride, rows), batchStride) }
        let c = contiguous(t)
        return (c, false, cols, r == 3 && c.shape[0] != 1 ? rows * cols : 0)
    }

    public func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(a.rank == 3 && b.rank == 3, "matmul backend: expects rank 3, got \(a.shape) and \(b.shape)")
        let batch = max(a.shape[0], b.shape[0])
        let m = a.shape[1], k = a.shape[2], n = b.shape[2]
        precondition(b.shape[1] == k && (a.shape[0] == batch || a.shape[0] == 1) && (b.shape[0] == batch || b.shape[0] == 1),
                     "matmul: shapes \(a.shape) and \(b.shape)")
        let (out, op_) = output([batch, m, n])
        if k == 0 {
            fill(out, with: 0)
            return out
        }
        let (ta, transA, lda, sa) = gemmOperand(a)
        let (tb, transB, ldb, sb) = gemmOperand(b)
        withExtendedLifetime((ta, tb, out)) {
            let pa = UnsafePointer(floats(ta)), pb = UnsafePointer(floats(tb))
            for i in 0..<batch {
                sgemm(transposeA: transA, transposeB: transB, m: m, n: n, k: k, alpha: 1,
                      a: pa + i * sa, lda: lda, b: pb + i * sb, ldb: ldb, beta: 0, c: op_ + i * m * n, ldc: n)
            }
        }
        return out
    }

    public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, geometry g: Conv2dGeometry) -> Tensor {
        let (xc, xp) = input(x), (wc, wp) = input(weight)
        let bc = bias.map { contiguous($0) }
        let (out, op_) = output([g.batch, g.outChannels, g.outHeight, g.outWidth])
        withExtendedLifetime((xc, wc, bc, out)) {
            conv2dForward(g, input: xp, weight: wp, bias: bc.map { UnsafePointer(floats($0)) }, output: op_)
        }
        return out
    }

    public func conv2dBackwardInput(gradOutput: Tensor, weight: Tensor, geometry g: Conv2dGeometry) -> Tensor {
        let (gc, gp) = input(gradOutput), (wc, wp) = input(weight)
        let (out, op_) = output([g.batch, g.inChannels, g.inHeight, g.inWidth])
        withExtendedLifetime((gc, wc, out)) {
            Kernels.conv2dBackwardInput(g, gradOutput: gp, weight: wp, gradInput: op_)
        }
        return out
    }

    public func conv2dBackwardWeight(_ x: Tensor, gradOutput: Tensor, geometry g: Conv2dGeometry,
                                     withBias: Bool) -> (Tensor, Tensor?) {
        let (xc, xp) = input(x), (gc, gp) = input(gradOutput)
        let (dw, dwp) = output([g.outChannels, g.inChannels, g.kernelHeight, g.kernelWidth])
        let db = withBias ? output([g.outChannels]) : nil
        withExtendedLifetime((xc, gc, dw, db?.0)) {
            Kernels.conv2dBackwardWeight(g, input: xp, gradOutput: gp, gradWeight: dwp, gradBias: db?.1)
        }
        return (dw, db?.0)
    }

    public func adamUpdate(_ step: AdamStepParameters, parameter: Tensor, gradient: Tensor, expAvg: Tensor, expAvgSq: Tensor) {
        precondition(parameter.isContiguous && expAvg.isContiguous && expAvgSq.isContiguous
                     && parameter.shape == gradient.shape && expAvg.shape == parameter.shape && expAvgSq.shape == parameter.shape,
                     "adamUpdate: parameter \(parameter.shape), gradient \(gradient.shape), moments \(expAvg.shape) \(expAvgSq.shape)")
        let (gc, gp) = input(gradient)
        withExtendedLifetime((parameter, gc, expAvg, expAvgSq)) {
            Kernels.adamUpdate(step, param: floats(parameter), grad: gp, expAvg: floats(expAvg), expAvgSq: floats(expAvgSq),
                               count: parameter.count)
        }
    }
}
