import Kernels
import TensorCore

/// The fused kernels of layers.py's `SSIM` and of trainer.py's `compute_reprojection_loss`, as a
/// backend capability: a backend that has them conforms (the CPU backend below; a GPU backend
/// would add its own), and `ssim` / `photometricError` reach them through it. The generic
/// `Backend` protocol knows nothing of this paper's loss.
public protocol PhotometricBackend: Backend {
    /// clamp((1 − SSIM)/2, 0, 1) of x and y (N,C,H,W, same shape, H and W ≥ 2) with reflection
    /// padding 1 and 3×3 means.
    func ssim(_ x: Tensor, _ y: Tensor) -> Tensor
    /// Gradients of `ssim` with respect to x and y (each only when asked).
    func ssimBackward(_ x: Tensor, _ y: Tensor, gradOutput: Tensor, needX: Bool, needY: Bool) -> (Tensor?, Tensor?)
    /// (N,1,H,W): ssimWeight · mean_c ssim(x, y) + (1 − ssimWeight) · mean_c |y − x|.
    func photometricError(_ x: Tensor, _ y: Tensor, ssimWeight: Float) -> Tensor
    /// Gradients of `photometricError` with respect to x and y (each only when asked).
    func photometricErrorBackward(_ x: Tensor, _ y: Tensor, ssimWeight: Float, gradOutput: Tensor,
                                  needX: Bool, needY: Bool) -> (Tensor?, Tensor?)
}

extension Tensor {
    /// The tensor's backend as a `PhotometricBackend` (a programming error if it has no fused
    /// photometric kernels).
    var photometricBackend: any PhotometricBackend {
        guard let backend = backend as? any PhotometricBackend else {
            preconditionFailure("backend \(backend.name) has no fused SSIM / photometric kernels")
        }
        return backend
    }
}

extension CPUBackend: PhotometricBackend {
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
