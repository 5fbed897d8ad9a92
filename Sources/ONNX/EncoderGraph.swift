import Networks
import TensorCore

extension GraphBuilder {
    /// `ResnetEncoder.forward` in evaluation mode: (x − 0.45)/0.225, then the ResNet with every
    /// BatchNorm folded into the convolution before it (`foldBatchNorm`, the rule `DepthInference`
    /// runs), ReLU, max pooling and the residual adds. Weights keep the checkpoint's conv keys
    /// (`encoder.layer1.0.conv1.weight`); a folded bias takes its BatchNorm's key (`….bn1.bias`).
    /// Returns the five feature maps [f0 … f4].
    mutating func appendEncoder(_ encoder: ResnetEncoder, input: String, prefix: String = "encoder") -> [String] {
        let resnet = encoder.resnet
        let mean = floats([0.45], dims: [], name: "normalise.mean")
        let std = floats([0.225], dims: [], name: "normalise.std")
        var x = node("Sub", "\(prefix).normalise.sub", [input, mean], doc: "(x - 0.45) / 0.225")
        x = node("Div", "\(prefix).normalise", [x, std])
        x = foldedConv(x, resnet.conv1, resnet.bn1, conv: "\(prefix).conv1", norm: "\(prefix).bn1")
        let f0 = node("Relu", "\(prefix).relu", [x])
        var features = [f0]
        x = node("MaxPool", "\(prefix).maxpool", [f0], [.init("kernel_shape", .ints([3, 3])), .init("strides", .ints([2, 2])),
                                                       .init("pads", .ints([1, 1, 1, 1])), .init("ceil_mode", .int(0))])
        for (s, stage) in resnet.stages.enumerated() {
            for (b, block) in stage.blocks.enumerated() {
                let path = "\(prefix).layer\(s + 1).\(b)"
                let pairs = block.convolutions
                var out = x
                for (index, pair) in pairs.enumerated() {
                    out = foldedConv(out, pair.conv, pair.norm, conv: "\(path).conv\(index + 1)", norm: "\(path).bn\(index + 1)")
                    if index < pairs.count - 1 { out = node("Relu", "\(path).relu\(index + 1)", [out]) }
                }
                let shortcut = block.downsample.map {
                    foldedConv(x, $0.conv, $0.norm, conv: "\(path).downsample.0", norm: "\(path).downsample.1")
                } ?? x
                out = node("Add", "\(path).add", [out, shortcut])
                x = node("Relu", "\(path).relu", [out])
            }
            features.append(x)
        }
        return features
    }

    /// conv → BatchNorm as one Conv (BN folded; weight under `conv.weight`, bias under `norm.bias`).
    mutating func foldedConv(_ x: String, _ conv: Conv2d, _ norm: BatchNorm2d, conv convKey: String, norm normKey: String) -> String {
        let (weight, bias) = foldBatchNorm(conv, norm)
        return self.conv(x, convKey, weight: weight, weightKey: convKey + ".weight", bias: bias, biasKey: normKey + ".bias",
                         stride: conv.stride, padding: conv.padding, doc: "\(convKey) with \(normKey) folded in (running statistics)")
    }
}
