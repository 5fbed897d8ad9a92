import ImageIO

/// Turning 8-bit RGB images into the float planes of a batch.
enum ImageWriting {
    /// `Float(v) / 255` for every byte: torchvision ToTensor's division, looked up.
    static let toTensor: [Float] = (0..<256).map { Float($0) / 255 }

    /// ToTensor of an HWC RGB image into CHW float planes at `destination`.
    static func write(_ image: Image, to destination: UnsafeMutablePointer<Float>) {
        let plane = image.width * image.height
        toTensor.withUnsafeBufferPointer { table in
            image.pixels.withUnsafeBufferPointer { pixels in
                let red = destination, green = destination + plane, blue = destination + 2 * plane
                for i in 0..<plane {
                    red[i] = table[Int(pixels[3 * i])]
                    green[i] = table[Int(pixels[3 * i + 1])]
                    blue[i] = table[Int(pixels[3 * i + 2])]
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
