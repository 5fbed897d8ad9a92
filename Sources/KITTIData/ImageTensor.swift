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
    /// (IEEE division), optionally mirrored left-right (`hflip`). Each image goes through `write`,
    /// the loader's ToTensor.
    public static func batch(_ images: [Image], flipped: Bool = false) -> Tensor {
        precondition(!images.isEmpty, "ImageTensor.batch: no images")
        let width = images[0].width, height = images[0].height
        precondition(images.allSatisfy { $0.width == width && $0.height == height && $0.channels == 3 },
                     "ImageTensor.batch: images differ in size or are not RGB")
        let plane = width * height
        var values = [Float](repeating: 0, count: images.count * 3 * plane)
        values.withUnsafeMutableBufferPointer { destination in
            guard let destination = destination.baseAddress else { return }
            for (b, image) in images.enumerated() {
                var image = image
                if flipped { mirror(&image) }
                write(image, to: destination + b * 3 * plane)
            }
        }
        return Tensor(shape: [images.count, 3, height, width], scalars: values)
    }

    /// Channel-wise concatenation of two same-size RGB images into one (1, 6, H, W) input.
    public static func pair(_ first: Image, _ second: Image) -> Tensor {
        concat([batch([first]), batch([second])], axis: 1)
    }
}

/// ToTensor itself, and the left-right flip, on 8-bit RGB images.
extension ImageTensor {
    /// `Float(v) / 255` for every byte: torchvision ToTensor's division, looked up.
    static let toTensorTable: [Float] = (0..<256).map { Float($0) / 255 }

    /// ToTensor of an HWC RGB image into CHW float planes at `destination` (the loader writes each
    /// image straight into its batch's memory; `batch` goes through it too). Sixteen pixels at a time:
    /// three 16-byte loads split into R, G and B by byte shuffles, widened and divided by 255 (the same
    /// correctly rounded division as the table, lane by lane); the rest through the table.
    static func write(_ image: Image, to destination: UnsafeMutablePointer<Float>) {
        let plane = image.width * image.height
        let red = destination, green = destination + plane, blue = destination + 2 * plane
        toTensorTable.withUnsafeBufferPointer { table in
            image.pixels.withUnsafeBufferPointer { pixels in
                guard let base = pixels.baseAddress else { return }
                let source = UnsafeRawPointer(base)
                let vectorPixels = plane / 16 * 16
                var i = 0
                while i < vectorPixels {
                    let a = source.loadUnaligned(fromByteOffset: 3 &* i, as: SIMD16<UInt8>.self)
                    let b = source.loadUnaligned(fromByteOffset: 3 &* i &+ 16, as: SIMD16<UInt8>.self)
                    let c = source.loadUnaligned(fromByteOffset: 3 &* i &+ 32, as: SIMD16<UInt8>.self)
                    let r = SIMD16<UInt8>(a[0], a[3], a[6], a[9], a[12], a[15], b[2], b[5],
                                          b[8], b[11], b[14], c[1], c[4], c[7], c[10], c[13])
                    let g = SIMD16<UInt8>(a[1], a[4], a[7], a[10], a[13], b[0], b[3], b[6],
                                          b[9], b[12], b[15], c[2], c[5], c[8], c[11], c[14])
                    let bl = SIMD16<UInt8>(a[2], a[5], a[8], a[11], a[14], b[1], b[4], b[7],
                                           b[10], b[13], c[0], c[3], c[6], c[9], c[12], c[15])
                    UnsafeMutableRawPointer(red + i).storeBytes(of: SIMD16<Float>(r) / 255, as: SIMD16<Float>.self)
                    UnsafeMutableRawPointer(green + i).storeBytes(of: SIMD16<Float>(g) / 255, as: SIMD16<Float>.self)
                    UnsafeMutableRawPointer(blue + i).storeBytes(of: SIMD16<Float>(bl) / 255, as: SIMD16<Float>.self)
                    i &+= 16
                }
                while i < plane {
                    red[i] = table[Int(pixels[3 &* i])]
                    green[i] = table[Int(pixels[3 &* i &+ 1])]
                    blue[i] = table[Int(pixels[3 &* i &+ 2])]
                    i &+= 1
                }
            }
        }
    }

    /// `img.transpose(FLIP_LEFT_RIGHT)` in place.
    static func mirror(_ image: inout Image) {
        let width = image.width, channels = image.channels
        image.pixels.withUnsafeMutableBufferPointer { pixels in
            for y in 0..<image.height {
                let row = pixels.baseAddress! + y * width * channels
                var left = 0, right = width - 1
                while left < right {
                    for c in 0..<channels { swap(&row[left * channels + c], &row[right * channels + c]) }
                    left += 1
                    right -= 1
                }
            }
        }
    }
}
