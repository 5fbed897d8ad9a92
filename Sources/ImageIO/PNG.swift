import Codecs
import Foundation

/// PNG reading and writing (ISO/IEC 15948). Decoding covers every colour type and bit depth,
/// palettes with tRNS, Adam7 interlacing, all five filters and split IDAT chunks, and returns the
/// array `np.asarray(PIL.Image.open(file))` gives (see `PNGImage`). Encoding writes 8- and 16-bit
/// grey, grey+alpha, RGB and RGBA with per-row adaptive filters and real DEFLATE compression.
public enum PNG {
    /// Images with more pixels than this are rejected before any pixel memory is allocated
    /// (2^28 = 16384 x 16384); pass a larger `maximumPixels` to `decode` to allow them.
    public static let defaultMaximumPixels = 1 << 28

    /// Reads and decodes a PNG file. Errors name the file.
    public static func read(contentsOf url: URL, maximumPixels: Int = defaultMaximumPixels) throws(ImageIOError) -> PNGImage {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ImageIOError(file: url.path, "cannot read file (\(error.localizedDescription))")
        }
        return try decode([UInt8](data), file: url.path, maximumPixels: maximumPixels)
    }

    /// Decodes PNG bytes; `file` only names the source in errors. Chunk CRCs and the zlib
    /// checksum are verified; ancillary chunks other than tRNS (iCCP, gAMA, text, ...) are skipped.
    public static func decode(_ bytes: [UInt8], file: String = "<memory>",
                              maximumPixels: Int = defaultMaximumPixels) throws(ImageIOError) -> PNGImage {
        try PNGDecoder.decode(bytes, file: file, maximumPixels: maximumPixels)
    }

    /// Encodes an 8-bit image: 1 channel = grey, 2 = grey+alpha, 3 = RGB, 4 = RGBA.
    /// `level` is the DEFLATE level (0...9).
    public static func encode(_ image: Image, level: Int = 6) throws(ImageIOError) -> [UInt8] {
        try PNGEncoder.encode(samples: image.pixels, width: image.width, height: image.height,
                              channels: image.channels, bitDepth: 8, level: level)
    }

    /// Encodes a 16-bit image (1 channel = grey, e.g. KITTI depth maps; 2, 3, 4 as for `Image`).
    public static func encode(_ image: Image16, level: Int = 6) throws(ImageIOError) -> [UInt8] {
        var bigEndian = [UInt8](repeating: 0, count: image.samples.count * 2)
        image.samples.withUnsafeBufferPointer { source in
            bigEndian.withUnsafeMutableBufferPointer { destination in
                for index in 0..<source.count {
                    destination[2 * index] = UInt8(truncatingIfNeeded: source[index] >> 8)
                    destination[2 * index + 1] = UInt8(truncatingIfNeeded: source[index])
                }
            }
        }
        return try PNGEncoder.encode(samples: bigEndian, width: image.width, height: image.height,
                                     channels: image.channels, bitDepth: 16, level: level)
    }

    /// Encodes and writes an 8-bit image atomically (temporary file in the same folder, then rename).
    public static func write(_ image: Image, to url: URL, level: Int = 6) throws(ImageIOError) {
        try PNGEncoder.writeAtomically(try encode(image, level: level), to: url)
    }

    /// Encodes and writes a 16-bit image atomically.
    public static func write(_ image: Image16, to url: URL, level: Int = 6) throws(ImageIOError) {
        try PNGEncoder.writeAtomically(try encode(image, level: level), to: url)
    }
}

/// A decoded PNG, shaped like Pillow's array for the same file.
public enum PNGImage: Sendable, Equatable {
    /// 8-bit samples, HxWxC with C = 1 (grey), 2 (grey+alpha), 3 (RGB) or 4 (RGBA). 2- and 4-bit
    /// grey are scaled to 0...255 (x85, x17) as Pillow's mode "L" does.
    case eightBit(Image)
    /// 1-bit grey, Pillow's mode "1" (a NumPy bool array): one channel of 0 or 1.
    case bilevel(Image)
    /// 16-bit samples of any colour type, HxWxC, native values. Pillow agrees for 16-bit grey
    /// ("I;16"); for 16-bit colour it keeps only the high bytes (`value >> 8`).
    case sixteenBit(Image16)
    /// Colour type 3: one channel of palette indices (not scaled, at any bit depth), as Pillow's
    /// mode "P" array, and the palette.
    case indexed(Image, PNGPalette)

    public var width: Int {
        switch self {
        case .eightBit(let image), .bilevel(let image), .indexed(let image, _): return image.width
        case .sixteenBit(let image): return image.width
        }
    }

    public var height: Int {
        switch self {
        case .eightBit(let image), .bilevel(let image), .indexed(let image, _): return image.height
        case .sixteenBit(let image): return image.height
        }
    }

    /// The 8-bit samples of `.eightBit` (nil otherwise), e.g. a KITTI colour image.
    public var eightBitImage: Image? {
        if case .eightBit(let image) = self { return image }
        return nil
    }

    /// The samples of `.sixteenBit` (nil otherwise), e.g. a KITTI depth map (metres x 256).
    public var sixteenBitImage: Image16? {
        if case .sixteenBit(let image) = self { return image }
        return nil
    }

    /// Pillow's `convert("RGB")`: grey replicated, alpha dropped, 1-bit as 0/255, palette looked
    /// up. Nil for 16-bit images (no 8-bit RGB meaning without a choice of scaling).
    public func convertedToRGB() -> Image? {
        switch self {
        case .sixteenBit:
            return nil
        case .indexed(let indices, let palette):
            return palette.rgb(indices: indices)
        case .bilevel(let image):
            return PNGPixelConversion.rgb(fromGrey: image.pixels.map { $0 != 0 ? 255 : 0 }, image: image, channels: 1)
        case .eightBit(let image):
            switch image.channels {
            case 3: return image
            case 1, 2: return PNGPixelConversion.rgb(fromGrey: image.pixels, image: image, channels: image.channels)
            default: return PNGPixelConversion.dropAlpha(image)
            }
        }
    }
}

/// The PLTE entries and their tRNS alphas.
public struct PNGPalette: Sendable, Equatable {
    /// `count` RGB triples.
    public var colors: [UInt8]
    /// Alpha of the first `alphas.count` entries (tRNS); later entries are opaque.
    public var alphas: [UInt8]

    public init(colors: [UInt8], alphas: [UInt8] = []) {
        self.colors = colors
        self.alphas = alphas
    }

    /// Number of entries (1...256).
    public var count: Int { colors.count / 3 }

    /// HxWx3 colours of `indices` like Pillow's `convert("RGB")`: indices past the palette are black.
    public func rgb(indices: Image) -> Image {
        let table = lookupTable(channels: 3)
        var pixels = [UInt8](repeating: 0, count: indices.pixels.count * 3)
        for (index, value) in indices.pixels.enumerated() {
            let entry = Int(value) * 3
            pixels[3 * index] = table[entry]
            pixels[3 * index + 1] = table[entry + 1]
            pixels[3 * index + 2] = table[entry + 2]
        }
        return Image(width: indices.width, height: indices.height, channels: 3, pixels: pixels)
    }

    /// HxWx4 colours with tRNS alpha like Pillow's `convert("RGBA")` (past the palette: opaque black).
    public func rgba(indices: Image) -> Image {
        let table = lookupTable(channels: 4)
        var pixels = [UInt8](repeating: 0, count: indices.pixels.count * 4)
        for (index, value) in indices.pixels.enumerated() {
            for channel in 0..<4 { pixels[4 * index + channel] = table[Int(value) * 4 + channel] }
        }
        return Image(width: indices.width, height: indices.height, channels: 4, pixels: pixels)
    }

    /// 256 entries of `channels` bytes, zero-padded (alpha 255) past the palette.
    private func lookupTable(channels: Int) -> [UInt8] {
        var table = [UInt8](repeating: 0, count: 256 * channels)
        for entry in 0..<256 {
            if entry < count {
                for channel in 0..<3 { table[entry * channels + channel] = colors[entry * 3 + channel] }
            }
            if channels == 4 { table[entry * 4 + 3] = entry < alphas.count ? alphas[entry] : 255 }
        }
        return table
    }
}

/// Small 8-bit conversions behind `PNGImage.convertedToRGB`.
enum PNGPixelConversion {
    static func rgb(fromGrey samples: [UInt8], image: Image, channels: Int) -> Image {
        let count = image.width * image.height
        var pixels = [UInt8](repeating: 0, count: count * 3)
        for index in 0..<count {
            let grey = samples[index * channels]
            pixels[3 * index] = grey
            pixels[3 * index + 1] = grey
            pixels[3 * index + 2] = grey
        }
        return Image(width: image.width, height: image.height, channels: 3, pixels: pixels)
    }

    static func dropAlpha(_ image: Image) -> Image {
        let count = image.width * image.height
        var pixels = [UInt8](repeating: 0, count: count * 3)
        for index in 0..<count {
            for channel in 0..<3 { pixels[3 * index + channel] = image.pixels[4 * index + channel] }
        }
        return Image(width: image.width, height: image.height, channels: 3, pixels: pixels)
    }
}
