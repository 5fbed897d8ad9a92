import Foundation
import ImageIO
import KITTIData

/// An 8-bit RGB picture: `width × height` pixels, row by row from the top left, three bytes
/// (red, green, blue) per pixel. What `DepthModel.predict` takes, and what
/// `DepthPrediction.disparityPicture()` gives.
public struct RGBImage: Sendable, Equatable {
    /// The decoded pixels (always three channels).
    let image: Image

    /// Width in pixels.
    public var width: Int { image.width }
    /// Height in pixels.
    public var height: Int { image.height }
    /// `width × height × 3` bytes, RGB interleaved, rows from the top.
    public var pixels: [UInt8] { image.pixels }

    /// An image from its pixels (`width × height × 3` bytes, RGB interleaved, rows from the top).
    /// - Throws: `Monodepth2Error.invalidArgument` when the size is not positive or the byte count
    ///   does not match it.
    public init(width: Int, height: Int, pixels: [UInt8]) throws(Monodepth2Error) {
        guard width > 0, height > 0 else {
            throw .invalidArgument("RGBImage: size \(width)x\(height) must be positive")
        }
        guard pixels.count == width * height * 3 else {
            throw .invalidArgument("RGBImage: \(pixels.count) bytes for \(width)x\(height) RGB (expected \(width * height * 3))")
        }
        image = Image(width: width, height: height, channels: 3, pixels: pixels)
    }

    /// Reads a JPEG or PNG file (recognised by its content, not its name) as RGB, as the original's
    /// `PIL.Image.open(path).convert('RGB')`: grey and palette images become RGB.
    /// - Throws: `Monodepth2Error.unreadableImage` naming the file.
    public init(contentsOf url: URL) throws(Monodepth2Error) {
        do { image = try ImageTensor.readRGB(url) } catch {
            throw .unreadableImage(file: url.path, problem: error.description)
        }
    }

    /// Wraps an image the package decoded (three channels).
    init(decoded image: Image) { self.image = image }

    /// Writes the image as a baseline JPEG (Pillow's `save` defaults: quality 75, 4:2:0).
    /// - Throws: `Monodepth2Error.writeFailed` naming the file.
    public func writeJPEG(to url: URL, quality: Int = 75) throws(Monodepth2Error) {
        guard (1...100).contains(quality) else { throw .invalidArgument("writeJPEG: quality \(quality) is not in 1...100") }
        do { try JPEG.write(image, to: url, quality: quality, subsampling: .s420) } catch {
            throw .writeFailed(file: url.path, problem: error.description)
        }
    }

    /// Writes the image as a PNG (lossless).
    /// - Throws: `Monodepth2Error.writeFailed` naming the file.
    public func writePNG(to url: URL) throws(Monodepth2Error) {
        do { try PNG.write(image, to: url) } catch {
            throw .writeFailed(file: url.path, problem: error.description)
        }
    }
}
