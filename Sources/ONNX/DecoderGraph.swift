import Networks
import TensorCore

extension GraphBuilder {
    /// `DepthDecoder.forward`: per level i = 4 … 0, upconv(i,0) (reflection pad, 3×3 conv, ELU),
    /// nearest 2× upsampling (PyTorch's `F.interpolate(scale_factor=2, mode="nearest")`: Resize
    /// asymmetric/floor), the skip concatenation, upconv(i,1), and at each scale the dispconv with
    /// its sigmoid (only at `outputScales`: no dead branches). Node and weight names are the
    /// checkpoint's (`decoder.N.conv.conv`). Returns the disparity tensors by scale, named
    /// `disparityName(scale)`.
    mutating func appendDepthDecoder(_ decoder: DepthDecoder, features: [String], outputScales: Set<Int>,
                                     disparityName: (Int) -> String) -> [Int: String] {
        let scales = floats([1, 1, 2, 2], dims: [4], name: "upsample.scales")
        var x = features[4]
        var byScale: [Int: String] = [:]
        for i in stride(from: 4, through: 0, by: -1) {
            x = convBlock(x, decoder.upconvs[i].0.conv.conv, index: (4 - i) * 2)
            x = node("Resize", "upsample\(i)", [x, "", scales], [.init("mode", .string("nearest")),
                                                               .init("coordinate_transformation_mode", .string("asymmetric")),
                                                               .init("nearest_mode", .string("floor"))])
            if decoder.usesSkips && i > 0 { x = node("Concat", "skip\(i)", [x, features[i - 1]], [.init("axis", .int(1))]) }
            x = convBlock(x, decoder.upconvs[i].1.conv.conv, index: (4 - i) * 2 + 1)
            if outputScales.contains(i), let k = decoder.scales.firstIndex(of: i) {
                let key = "decoder.\(10 + k).conv"
                let conv = decoder.dispconvs[k].conv
                let padded = reflectionPad1(x, "decoder.\(10 + k).pad")
                let logits = self.conv(padded, key, weight: conv.weight.value, weightKey: key + ".weight",
                                       bias: conv.bias?.value, biasKey: key + ".bias", stride: conv.stride, padding: conv.padding)
                byScale[i] = node("Sigmoid", disparityName(i), [logits], doc: "(\"disp\", \(i)): sigmoid disparity at 1/\(1 << i) size")
            }
        }
        return byScale
    }

    /// `ConvBlock`: reflection pad 1, 3×3 conv with bias, ELU (α = 1).
    private mutating func convBlock(_ x: String, _ conv: Conv2d, index: Int) -> String {
        let key = "decoder.\(index).conv.conv"
        let padded = reflectionPad1(x, "decoder.\(index).conv.pad")
        let y = self.conv(padded, key, weight: conv.weight.value, weightKey: key + ".weight", bias: conv.bias?.value,
                          biasKey: key + ".bias", stride: conv.stride, padding: conv.padding)
        return node("Elu", "decoder.\(index).nonlin", [y], [.init("alpha", .float(1))])
    }
}
