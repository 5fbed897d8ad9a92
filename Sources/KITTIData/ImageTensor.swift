import ArrayIO
import Foundation
import ImageIO
import TensorCore

/// A problem reading an input image: names the file and what is wrong.
public struct ImageLoadError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Image files as the original's data pipeline sees them: `PIL.Image.open(path).convert('RGB')`,
/// Pillow-exact LANCZOS resizing, torchvision `ToTensor()` (byte / 255, HWC → CHW).
public enum ImageTensor {
    /// A JPEG or PNG file (recognised by content) as 8-bit RGB.
    public static func readRGB(_ url: URL) throws(ImageLoadError) -> Image {
        let bytes: [UInt8]
        do { bytes = try FileBytes.read(contentsOf: url) } catch { throw ImageLoadError(error.description) }
        do {
            if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF {
                let image = try JPEG.decode(bytes, file: url.path)
                return image.channels == 3 ? image : greyToRGB(image)
            }
            if bytes.count >= 8, bytes[0] == 0x89, bytes[1] == 0x50, bytes[2] == 0x4E, bytes[3] == 0x47 {
                guard let image = try PNG.decode(bytes, file: url.path).convertedToRGB() else {
                    throw ImageLoadError("\(url.path): 16-bit PNG images are not supported (8-bit RGB, grey or palette only)")
                }
                return image
            }
        } catch let error as ImageIOError {
            throw ImageLoadError(error.description)
        } catch let error as ImageLoadError {
            throw error
        } catch {
            throw ImageLoadError("\(url.path): \(error)")
        }
        throw ImageLoadError("\(url.path): not a JPEG or PNG image")
    }

    /// Reads `url` as RGB and LANCZOS-resizes it to `width` x `height` (no-op when already that size).
    public static func readResized(_ url: URL, width: Int, height: Int) throws(ImageLoadError) -> Image {
        let image = try readRGB(url)
        if image.width == width && image.height == height { return image }
        return image.resized(width: width, height: height, filter: .lanczos)
    }

    /// Pillow's convert('RGB') of a grey image: the value in all three channels.
    public static func greyToRGB(_ image: Image) -> Image {
        var pixels = [UInt8](repeating: 0, count: image.width * image.height * 3)
        for i in 0..<(image.width * image.height) {
            let v = image.pixels[i]
            pixels[3 * i] = v; pixels[3 * i + 1] = v; pixels[3 * i + 2] = v
        }
        return Image(width: image.width, height: image.height, channels: 3, pixels: pixels)
    }

    /// torchvision ToTensor of a batch of same-size RGB images: (B, 3, H, W) float32, byte / 255
    /// (IEEE division), optionally mirrored left-right (`hflip`).
    public static func batch(_ images: [Image], flipped: Bool = false) -> Tensor {
        precondition(!images.isEmpty, "ImageTensor.batch: no images")
        let width = images[0].width, height = images[0].height
        precondition(images.allSatisfy { $0.width == width && $0.height == height && $0.channels == 3 },
                     "ImageTensor.batch: images differ in size or are not RGB")
        let plane = width * height
        var values = [Float](repeating: 0, count: images.count * 3 * plane)
        values.withUnsafeMutableBufferPointer { destination in
            for (b, image) in images.enumerated() {
                image.pixels.withUnsafeBufferPointer { source in
                    let base = b * 3 * plane
                    for y in 0..<height {
                        for x in 0..<width {
                            let s = 3 * (y * width + (flipped ? width - 1 - x : x))
                            let d = y * width + x
                            for c in 0..<3 { destination[base + c * plane + d] = Float(source[s + c]) / 255 }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [images.count, 3, height, width], scalars: values)
    }

    /// Channel-wise concatenation of two same-size RGB images into one (1, 6, H, W) input.
    public static func pair(_ first: Image, _ second: Image) -> Tensor {
        concat([batch([first]), batch([second])], axis: 1)
    }
}
