import ImageIO

/// Turning 8-bit RGB images into the float planes of a batch.
enum ImageWriting {
    /// `Float(v) / 255` for every byte: torchvision ToTensor's division, looked up.
    static let toTensor: [Float] = (0..<256).map { Float($0) / 255 }

    /// ToTensor of an HWC RGB image into CHW float planes at `destination`. Sixteen pixels at a time:
    /// three 16-byte loads split into R, G and B by byte shuffles, widened and divided by 255 (the same
    /// correctly rounded division as the table, lane by lane); the rest through the table.
    static func write(_ image: Image, to destination: UnsafeMutablePointer<Float>) {
        let plane = image.width * image.height
        let red = destination, green = destination + plane, blue = destination + 2 * plane
        toTensor.withUnsafeBufferPointer { table in
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
