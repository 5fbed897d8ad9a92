import Codecs
import ImageIO

/// A `Summary.Image` message: the size, the channel count (`colorspace`) and the encoded PNG.
public struct SummaryImage: Equatable, Sendable {
    public var height: Int
    public var width: Int
    /// Channels of the encoded image (3 = RGB, 4 = RGBA).
    public var colorspace: Int
    public var encodedImage: [UInt8]

    public init(height: Int, width: Int, colorspace: Int, encodedImage: [UInt8]) {
        self.height = height
        self.width = width
        self.colorspace = colorspace
        self.encodedImage = encodedImage
    }

    /// The image of a CHW float array (channel-major, values in [0, 1]) as `add_image` logs it
    /// (tensorboardX, torch.utils.tensorboard): one channel is repeated into RGB, each value becomes
    /// `UInt8(clip(Float(x) * 255, 0, 255))` (truncated, NaN as 0), then PNG.
    /// - Parameter level: the DEFLATE level (PIL's default 6).
    public init(chw values: [Float], channels: Int, height: Int, width: Int, level: Int = 6) throws(TensorBoardError) {
        let image = try Self.pixels(chw: values, channels: channels, height: height, width: width)
        let png: [UInt8]
        do { png = try PNG.encode(image, level: level) } catch {
            throw TensorBoardError(file: "<image>", "cannot encode PNG (\(error.problem))")
        }
        self.init(height: height, width: width, colorspace: image.channels, encodedImage: png)
    }

    /// The HWC 8-bit image `add_image` makes of CHW floats (see `init(chw:channels:height:width:level:)`).
    public static func pixels(chw values: [Float], channels: Int, height: Int, width: Int) throws(TensorBoardError) -> Image {
        guard [1, 3, 4].contains(channels), height > 0, width > 0 else {
            throw TensorBoardError(file: "<image>", "an image needs 1, 3 or 4 channels and a positive size, got \(channels)x\(height)x\(width)")
        }
        let plane = height * width
        guard values.count == channels * plane else {
            throw TensorBoardError(file: "<image>", "\(values.count) values for a \(channels)x\(height)x\(width) image")
        }
        let outChannels = channels == 1 ? 3 : channels
        var pixels = [UInt8](repeating: 0, count: plane * outChannels)
        values.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { destination in
                for c in 0..<outChannels {
                    let plane0 = (channels == 1 ? 0 : c) * plane
                    for i in 0..<plane {
                        destination[i * outChannels + c] = quantized(source[plane0 + i])
                    }
                }
            }
        }
        return Image(width: width, height: height, channels: outChannels, pixels: pixels)
    }

    /// NumPy's `(x * 255).clip(0, 255).astype(uint8)` on float32 (NaN, which NumPy leaves
    /// undefined, as 0).
    @inline(__always)
    static func quantized(_ x: Float) -> UInt8 {
        let scaled = x * 255
        guard scaled > 0 else { return 0 }
        return scaled >= 255 ? 255 : UInt8(scaled)
    }

    /// The original's `normalize_image` (utils.py) for logging disparities: `(x − min) / d` with
    /// `d = max − min` (computed in double, as Python floats) or 1e5 when all values are equal;
    /// float32 arithmetic otherwise, as PyTorch does with a Python scalar.
    public static func minMaxNormalized(_ values: [Float]) -> [Float] {
        guard var low = values.first else { return [] }
        var high = low
        for value in values {
            low = Swift.min(low, value)
            high = Swift.max(high, value)
        }
        let range = high != low ? Float(Double(high) - Double(low)) : Float(1e5)
        return values.map { ($0 - low) / range }
    }
}

extension SummaryImage {
    /// The serialized message: height (1), width (2), colorspace (3), encoded_image_string (4).
    func encoded() -> [UInt8] {
        var writer = ProtobufWriter()
        if height != 0 { writer.appendInt(1, Int64(height)) }
        if width != 0 { writer.appendInt(2, Int64(width)) }
        if colorspace != 0 { writer.appendInt(3, Int64(colorspace)) }
        if !encodedImage.isEmpty { writer.appendBytes(4, encodedImage) }
        return writer.bytes
    }
}
