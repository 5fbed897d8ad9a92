import TensorCore

/// Monodepth2's `PoseCNN(num_input_frames)`: seven stride-2 convolutions with ReLU, then `pose_conv`
/// 1×1 256→6·(n−1). `pose_conv` is registered BEFORE `net`, so the keys (and parameter order) are
/// `pose_conv.*` then `net.0…6.*`.
public final class PoseCNN: Module {
    public let inputFrames: Int
    public let convs: [Conv2d]
    public let poseConv: Conv2d

    /// PyTorch's default initialisation drawn from `generator`.
    public convenience init(inputFrames: Int, generator: inout RandomGenerator, on backend: any Backend = CPUBackend.shared) {
        var w = WeightInitializer(generator: generator, backend: backend)
        self.init(inputFrames: inputFrames, initializer: &w)
        generator = w.generator!
    }

    /// Placeholder (zero) weights for loading a checkpoint.
    public convenience init(inputFrames: Int, on backend: any Backend = CPUBackend.shared) {
        var w = WeightInitializer(generator: nil, backend: backend)
        self.init(inputFrames: inputFrames, initializer: &w)
    }

    init(inputFrames: Int, initializer w: inout WeightInitializer) {
        precondition(inputFrames >= 2, "PoseCNN: \(inputFrames) input frames (need at least 2)")
        self.inputFrames = inputFrames
        let specs: [(Int, Int, Int, Int)] = [(3 * inputFrames, 16, 7, 3), (16, 32, 5, 2), (32, 64, 3, 1), (64, 128, 3, 1),
                                             (128, 256, 3, 1), (256, 256, 3, 1), (256, 256, 3, 1)]
        var convs: [Conv2d] = []
        for (cin, cout, k, p) in specs {
            convs.append(w.defaultConv(cin, cout, kernel: k, stride: 2, padding: p))
        }
        self.convs = convs
        poseConv = w.defaultConv(256, 6 * (inputFrames - 1), kernel: 1)
    }

    public var entries: [ModuleEntry] { [.child("pose_conv", poseConv), .child("net", ModuleList(convs))] }

    /// (B, 3·inputFrames, H, W) → poses for inputFrames − 1 frames.
    public func callAsFunction(_ x: Tensor) -> PoseOutputs {
        precondition(x.rank == 4 && x.shape[1] == 3 * inputFrames, "PoseCNN: input \(x.shape) for \(inputFrames) frames")
        var out = x
        for conv in convs { out = conv(out).relu() }
        out = poseConv(out)
        let means = out.mean(axes: [3]).mean(axes: [2])
        return PoseOutputs.fromMeans(means, frames: inputFrames - 1)
    }
}
