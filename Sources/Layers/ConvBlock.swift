import TensorCore

/// layers.py `Conv3x3`: reflection padding by 1 (attribute `pad`, no parameters), then a 3×3
/// convolution with bias (key `conv`). Spatial size is kept.
public final class Conv3x3: Module {
    public let conv: Conv2d

    /// `conv`: the 3×3 convolution with bias (built by the network with its initialisation).
    public init(_ conv: Conv2d) {
        precondition(conv.weight.value.rank == 4 && conv.weight.value.shape[2] == 3 && conv.weight.value.shape[3] == 3
                     && conv.bias != nil && conv.padding == 0 && conv.stride == 1,
                     "Conv3x3: needs an unpadded stride-1 3x3 convolution with bias, got \(conv.weight.value.shape)")
        self.conv = conv
    }

    public var entries: [ModuleEntry] { [.child("conv", conv)] }

    /// (N, Cin, H, W) → (N, Cout, H, W).
    public func callAsFunction(_ x: Tensor) -> Tensor { conv(reflectionPad2d(x, padding: 1)) }
}

/// layers.py `ConvBlock`: `Conv3x3` (key `conv`) then ELU (α = 1).
public final class ConvBlock: Module {
    public let conv: Conv3x3

    public init(_ conv: Conv3x3) { self.conv = conv }

    public var entries: [ModuleEntry] { [.child("conv", conv)] }

    public func callAsFunction(_ x: Tensor) -> Tensor { conv(x).elu() }
}

/// layers.py `upsample`: nearest-neighbour upsampling by 2 (`F.interpolate(scale_factor=2, mode="nearest")`).
public func upsample(_ x: Tensor) -> Tensor { upsampleNearest2d(x, factor: 2) }
