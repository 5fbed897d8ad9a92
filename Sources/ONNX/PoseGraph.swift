import Networks
import TensorCore

extension GraphBuilder {
    /// `PoseDecoder.forward` on the last feature map of each input: squeeze (1×1) + ReLU per input,
    /// concatenation, pose0/pose1 (3×3) + ReLU, pose2 (1×1), the spatial mean, ×0.01, then
    /// (axisangle, translation) of shape (N, frames, 1, 3). Keys `net.0` … `net.3`.
    /// `stackedFrames` > 1 (shared): `features` holds that many frames' maps stacked frame-major on
    /// the batch axis; after the squeeze they are regrouped onto channels in frame order, as
    /// `torch.cat([squeeze(f) for f in inputs], 1)`. `size` is the maps' (height, width).
    mutating func appendPoseDecoder(_ decoder: PoseDecoder, features: String, stackedFrames: Int = 1,
                                    size: (height: Int, width: Int)) -> (axisangle: String, translation: String) {
        var x = node("Relu", "net.0.relu", [plainConv(features, decoder.squeeze, key: "net.0")])
        if stackedFrames > 1 {
            x = reshape(x, "cat_features.split", [stackedFrames, -1, 256, size.height, size.width])
            x = node("Transpose", "cat_features.transpose", [x], [.init("perm", .ints([1, 0, 2, 3, 4]))])
            x = reshape(x, "cat_features", [-1, stackedFrames * 256, size.height, size.width])
        }
        x = node("Relu", "net.1.relu", [plainConv(x, decoder.pose0, key: "net.1")])
        x = node("Relu", "net.2.relu", [plainConv(x, decoder.pose1, key: "net.2")])
        x = plainConv(x, decoder.pose2, key: "net.3")
        return poseTail(x, frames: decoder.frames)
    }

    /// `PoseCNN.forward`: seven stride-2 convs + ReLU (`net.0` … `net.6`), `pose_conv`, the mean, ×0.01.
    mutating func appendPoseCNN(_ cnn: PoseCNN, input: String) -> (axisangle: String, translation: String) {
        var x = input
        for (index, conv) in cnn.convs.enumerated() {
            x = node("Relu", "net.\(index).relu", [plainConv(x, conv, key: "net.\(index)")])
        }
        x = plainConv(x, cnn.poseConv, key: "pose_conv")
        return poseTail(x, frames: cnn.inputFrames - 1)
    }

    /// `out.mean(3).mean(2)`, `0.01 * out.view(-1, frames, 1, 6)`, split into [..., :3] and [..., 3:].
    private mutating func poseTail(_ x: String, frames: Int) -> (axisangle: String, translation: String) {
        var y = reduceMean(x, "mean3", axes: [3])
        y = reduceMean(y, "mean2", axes: [2])
        y = node("Mul", "scale", [floats([0.01], dims: [], name: "pose.scale"), y], doc: "0.01 * out")
        y = reshape(y, "view", [-1, frames, 1, 6])
        return (slice(y, "axisangle", axis: 3, start: 0, end: 3), slice(y, "translation", axis: 3, start: 3, end: 6))
    }

    private mutating func plainConv(_ x: String, _ conv: Conv2d, key: String, name: String? = nil) -> String {
        self.conv(x, name ?? key, weight: conv.weight.value, weightKey: key + ".weight", bias: conv.bias?.value,
                  biasKey: key + ".bias", stride: conv.stride, padding: conv.padding)
    }
}
