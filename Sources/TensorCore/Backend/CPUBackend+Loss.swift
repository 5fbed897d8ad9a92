import Kernels

extension CPUBackend {
    private func ssimGeometry(_ x: Tensor) -> SSIMGeometry {
        SSIMGeometry(planes: x.shape[0] * x.shape[1], height: x.shape[2], width: x.shape[3])
    }

    public func ssim(_ x: Tensor, _ y: Tensor) -> Tensor {
        let (xc, xp) = input(x), (yc, yp) = input(y)
        let (out, op_) = output(x.shape)
        withExtendedLifetime((xc, yc, out)) { ssimForward(ssimGeometry(x), x: xp, y: yp, output: op_) }
        return out
    }

    public func ssimBackward(_ x: Tensor, _ y: Tensor, gradOutput: Tensor, needX: Bool, needY: Bool) -> (Tensor?, Tensor?) {
        let (xc, xp) = input(x), (yc, yp) = input(y), (gc, gp) = input(gradOutput)
        let dx = needX ? output(x.shape) : nil
        let dy = needY ? output(y.shape) : nil
        withExtendedLifetime((xc, yc, gc, dx?.0, dy?.0)) {
            Kernels.ssimBackward(ssimGeometry(x), x: xp, y: yp, gradOutput: gp, gradX: dx?.1, gradY: dy?.1)
        }
        return (dx?.0, dy?.0)
    }

    private func photometricGeometry(_ x: Tensor) -> PhotometricGeometry {
        PhotometricGeometry(batch: x.shape[0], channels: x.shape[1], height: x.shape[2], width: x.shape[3])
    }

    public func photometricError(_ x: Tensor, _ y: Tensor, ssimWeight: Float) -> Tensor {
        let (xc, xp) = input(x), (yc, yp) = input(y)
        let (out, op_) = output([x.shape[0], 1, x.shape[2], x.shape[3]])
        withExtendedLifetime((xc, yc, out)) {
            photometricErrorForward(photometricGeometry(x), ssimWeight: ssimWeight, x: xp, y: yp, output: op_)
        }
        return out
    }

    public func photometricErrorBackward(_ x: Tensor, _ y: Tensor, ssimWeight: Float, gradOutput: Tensor,
                                         needX: Bool, needY: Bool) -> (Tensor?, Tensor?) {
        let (xc, xp) = input(x), (yc, yp) = input(y), (gc, gp) = input(gradOutput)
        let dx = needX ? output(x.shape) : nil
        let dy = needY ? output(y.shape) : nil
        withExtendedLifetime((xc, yc, gc, dx?.0, dy?.0)) {
            Kernels.photometricErrorBackward(photometricGeometry(x), ssimWeight: ssimWeight, x: xp, y: yp, gradOutput: gp,
                                             gradX: dx?.1, gradY: dy?.1)
        }
        return (dx?.0, dy?.0)
    }
}
