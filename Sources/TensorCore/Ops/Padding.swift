// Reflection padding of NCHW (ReflectionPad2d: mirrors without repeating the edge, so row −1 is
// row 1; torch `nn.ReflectionPad2d`). Kernels in Kernels/Padding.swift.

/// Pads H and W by `padding` on every side.
public func reflectionPad2d(_ x: Tensor, padding: Int) -> Tensor {
    reflectionPad2d(x, top: padding, bottom: padding, left: padding, right: padding)
}

/// Pads H by top/bottom and W by left/right; each pad must be smaller than its dimension.
public func reflectionPad2d(_ x: Tensor, top: Int, bottom: Int, left: Int, right: Int) -> Tensor {
    precondition(x.rank == 4 && x.dtype == .float32, "reflectionPad2d: input \(x.dtype) \(x.shape) (need float32 (N,C,H,W))")
    precondition(min(top, bottom, left, right) >= 0 && max(top, bottom) < x.shape[2] && max(left, right) < x.shape[3],
                 "reflectionPad2d: pads (\(top), \(bottom), \(left), \(right)) for input \(x.shape)")
    let pads = (top, bottom, left, right)
    let y = x.backend.reflectionPad2d(x.detached(), pads: pads)
    guard let tape = Tape.active(x) else { return y }
    let inShape = x.shape
    return tape.record("reflection_pad2d", y, [x]) { g, _ in
        [g.backend.reflectionPad2dBackward(gradOutput: g, pads: pads, inputShape: inShape)]
    }
}
