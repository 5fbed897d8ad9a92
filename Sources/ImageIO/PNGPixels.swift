/// Turns unfiltered PNG rows into the output image: 8-bit samples copied, 16-bit samples
/// byte-swapped, 1/2/4-bit samples unpacked (most significant bits first) and, for grey, scaled
/// like Pillow (2-bit x85, 4-bit x17; 1-bit stays 0/1 as mode "1"). Each Adam7 pass lands on its
/// own pixel grid.
enum PNGPixels {
    static func assemble(_ data: UnsafePointer<UInt8>, header: PNGHeader, passes: [PNGHeader.Pass],
                         palette: PNGPalette?) -> PNGImage {
        let width = header.width, height = header.height, channels = header.channels
        switch header.bitDepth {
        case 16:
            var samples = [UInt16](repeating: 0, count: width * height * channels)
            samples.withUnsafeMutableBufferPointer { output in
                for pass in passes {
                    for row in 0..<pass.height {
                        let source = data + pass.offset + row * (pass.rowBytes + 1) + 1
                        let y = pass.y0 + row * pass.stepY
                        if pass.stepX == 1 {
                            let target = output.baseAddress! + y * width * channels
                            for index in 0..<(pass.width * channels) {
                                target[index] = UInt16(source[2 * index]) << 8 | UInt16(source[2 * index + 1])
                            }
                            continue
                        }
                        for column in 0..<pass.width {
                            let target = (y * width + pass.x0 + column * pass.stepX) * channels
                            let from = source + column * channels * 2
                            for channel in 0..<channels {
                                output[target + channel] = UInt16(from[2 * channel]) << 8 | UInt16(from[2 * channel + 1])
                            }
                        }
                    }
                }
            }
            return .sixteenBit(Image16(width: width, height: height, channels: channels, samples: samples))
        case 8:
            var pixels = [UInt8](repeating: 0, count: width * height * channels)
            pixels.withUnsafeMutableBufferPointer { output in
                let base = output.baseAddress!
                for pass in passes {
                    for row in 0..<pass.height {
                        let source = data + pass.offset + row * (pass.rowBytes + 1) + 1
                        let y = pass.y0 + row * pass.stepY
                        if pass.stepX == 1 {
                            (base + y * width * channels).update(from: source, count: pass.rowBytes)
                            continue
                        }
                        for column in 0..<pass.width {
                            let target = base + (y * width + pass.x0 + column * pass.stepX) * channels
                            target.update(from: source + column * channels, count: channels)
                        }
                    }
                }
            }
            return wrap(Image(width: width, height: height, channels: channels, pixels: pixels), header: header, palette: palette)
        default:
            let depth = header.bitDepth
            let scale: UInt8 = header.colorType == 3 || depth == 1 ? 1 : UInt8(255 / ((1 << depth) - 1))
            let mask = UInt8((1 << depth) - 1)
            var pixels = [UInt8](repeating: 0, count: width * height)
            pixels.withUnsafeMutableBufferPointer { output in
                for pass in passes {
                    for row in 0..<pass.height {
                        let source = data + pass.offset + row * (pass.rowBytes + 1) + 1
                        let rowStart = (pass.y0 + row * pass.stepY) * width + pass.x0
                        for column in 0..<pass.width {
                            let bit = column * depth
                            let value = (source[bit >> 3] >> UInt8(8 - depth - (bit & 7))) & mask
                            output[rowStart + column * pass.stepX] = value &* scale
                        }
                    }
                }
            }
            return wrap(Image(width: width, height: height, channels: 1, pixels: pixels), header: header, palette: palette)
        }
    }

    private static func wrap(_ image: Image, header: PNGHeader, palette: PNGPalette?) -> PNGImage {
        if header.colorType == 3, let palette { return .indexed(image, palette) }
        return header.bitDepth == 1 ? .bilevel(image) : .eightBit(image)
    }
}
