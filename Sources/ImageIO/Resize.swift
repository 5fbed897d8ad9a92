import Kernels

extension Image {
    /// `np.asarray(pil_image.resize((width, height), filter))`, bit for bit, for grey (`L`) and RGB images:
    /// Pillow's separable two-pass scheme with fixed-point weights of 22 fraction bits, each pass
    /// rounding and clipping to 8 bits. A pass whose size does not change is skipped, as in Pillow.
    ///
    /// Pass order (Pillow 13, `ImagingResampleInner`): horizontal first, over only the rows the
    /// vertical pass reads, unless the height shrinks by more than twice as many pixels as the width
    /// does (`newHeight < height && height - newHeight > 2 * (width - newWidth)`, e.g. 638x235 ->
    /// 640x192); then vertical first over the full width. Pillow 12 and older always went horizontal
    /// first, so such resizes differ from theirs by a few levels at some pixels.
    ///
    /// Images with 2 or 4 channels are resampled channel by channel without the alpha
    /// premultiplication Pillow applies to `LA`/`RGBA` images, so only 1- and 3-channel results
    /// are Pillow-exact.
    ///
    /// - Precondition: `width >= 1`, `height >= 1` and the image is not empty.
    public func resized(width newWidth: Int, height newHeight: Int, filter: ResampleFilter = .lanczos) -> Image {
        resized(width: newWidth, height: newHeight, filter: filter, tables: nil)
    }

    /// The same, with the resampling tables for these sizes taken from (and kept in) `cache`.
    public func resized(width newWidth: Int, height newHeight: Int, filter: ResampleFilter = .lanczos,
                        cache: ResampleCache) -> Image {
        resized(width: newWidth, height: newHeight, filter: filter, tables: cache)
    }

    private func resized(width newWidth: Int, height newHeight: Int, filter: ResampleFilter,
                         tables cache: ResampleCache?) -> Image {
        precondition(newWidth >= 1 && newHeight >= 1 && width >= 1 && height >= 1,
                     "Image.resized: \(width)x\(height) -> \(newWidth)x\(newHeight) needs positive sizes")
        let needHorizontal = newWidth != width
        let needVertical = newHeight != height
        if !needHorizontal && !needVertical { return self }
        let horizontalFirst = !(newHeight < height && height - newHeight > 2 * (width - newWidth))
        func table(_ inputSize: Int, _ outputSize: Int) -> ResampleCoefficients {
            cache?.coefficients(inputSize: inputSize, outputSize: outputSize, filter: filter)
                ?? ResampleCoefficients(inputSize: inputSize, outputSize: outputSize, filter: filter)
        }
        let threaded = cache?.threaded ?? true
        let horizontal = needHorizontal ? table(width, newWidth) : nil
        var vertical = needVertical ? table(height, newHeight) : nil
        if !horizontalFirst, let rows = vertical {
            let shrunk = ImageResampler.vertical(self, coefficients: rows, threaded: threaded)
            guard let columns = horizontal else { return shrunk }
            return ImageResampler.horizontal(shrunk, rows: 0, count: newHeight, coefficients: columns, threaded: threaded)
        }
        var source = self
        if let columns = horizontal {
            var firstRow = 0, rowCount = height
            if var rows = vertical {
                firstRow = rows.firstUsed
                rowCount = rows.endUsed - firstRow
                for index in 0..<newHeight { rows.first[index] -= firstRow }
                vertical = rows
            }
            source = ImageResampler.horizontal(self, rows: firstRow, count: rowCount, coefficients: columns,
                                                     threaded: threaded)
        }
        guard let rows = vertical else { return source }
        return ImageResampler.vertical(source, coefficients: rows, threaded: threaded)
    }
}

/// The two 8-bit passes of Pillow's `ImagingResampleInner` (`ImagingResample{Horizontal,Vertical}_8bpc`).
enum ImageResampler {
    /// Pillow's accumulator start: one half in 22-bit fixed point, so the final shift rounds.
    private static let half: Int32 = 1 << (ResampleCoefficients.precisionBits - 1)

    /// Multiply-adds below which splitting across threads costs more than it saves (~0.5 ms of work).
    private static let parallelThreshold = 1_000_000

    /// Resamples rows `rows ..< rows + count` of `image` horizontally to `coefficients.outputSize` columns.
    static func horizontal(_ image: Image, rows firstRow: Int, count rowCount: Int,
                           coefficients: ResampleCoefficients, threaded: Bool) -> Image {
        let channels = image.channels
        let inWidth = image.width
        let outWidth = coefficients.outputSize
        let stride = coefficients.stride
        var output = [UInt8](repeating: 0, count: outWidth * rowCount * channels)
        let work = threaded ? rowCount * outWidth * channels * stride : 0
        if channels == 3 {
            horizontalRGB(image, rows: firstRow, count: rowCount, coefficients: coefficients, into: &output, work: work)
            return Image(width: outWidth, height: rowCount, channels: channels, pixels: output)
        }
        image.pixels.withUnsafeBufferPointer { source in
            coefficients.weights.withUnsafeBufferPointer { weights in
                coefficients.first.withUnsafeBufferPointer { first in
                    coefficients.count.withUnsafeBufferPointer { count in
                        output.withUnsafeMutableBufferPointer { destination in
                            let src = source.baseAddress!
                            let dst = destination.baseAddress!
                            let kk = weights.baseAddress!
                            let lo = first.baseAddress!
                            let taps = count.baseAddress!
                            forEachChunk(rowCount, work: work) { rows in
                                for row in rows {
                                    let input = src + (row + firstRow) * inWidth * channels
                                    let out = dst + row * outWidth * channels
                                    horizontalRow(input, out, outWidth: outWidth, channels: channels,
                                                  first: lo, count: taps,
                                                  weights: kk, stride: stride)
                                }
                            }
                        }
                    }
                }
            }
        }
        return Image(width: outWidth, height: rowCount, channels: channels, pixels: output)
    }

    /// The RGB horizontal pass, vectorised: each row is widened to RGBX (4 bytes a pixel, zero past
    /// the end) so that 16 bytes hold 4 whole pixels and one SIMD16 multiply-add covers 4 taps of all
    /// channels. Four outputs are finished together: their per-channel sums are gathered into one
    /// SIMD16, rounded, shifted and clamped at once, and stored as 12 bytes. Integer sums do not
    /// depend on their order, so every byte is Pillow's.
    private static func horizontalRGB(_ image: Image, rows firstRow: Int, count rowCount: Int,
                                      coefficients: ResampleCoefficients, into output: inout [UInt8], work: Int) {
        let inWidth = image.width
        let outWidth = coefficients.outputSize
        let blocks = coefficients.tapBlocks
        // Every output reads `blocks * 4` pixels from its first one; pad the widened row that far.
        let paddedPixels = inWidth + blocks * 4
        let groups = outWidth / 4
        image.pixels.withUnsafeBufferPointer { source in
            coefficients.rgbxWeights.withUnsafeBufferPointer { weights in
                coefficients.first.withUnsafeBufferPointer { first in
                    output.withUnsafeMutableBufferPointer { destination in
                        let src = source.baseAddress!
                        let dst = destination.baseAddress!
                        let kk = UnsafeRawPointer(weights.baseAddress!)
                        let lo = first.baseAddress!
                        forEachChunk(rowCount, work: work) { rows in
                            let rgbx = UnsafeMutableRawPointer.allocate(byteCount: paddedPixels * 4, alignment: 64)
                            defer { rgbx.deallocate() }
                            rgbx.initializeMemory(as: UInt8.self, repeating: 0, count: paddedPixels * 4)
                            let wide = rgbx.assumingMemoryBound(to: UInt8.self)
                            @inline(__always) func sums(_ x: Int) -> SIMD4<Int32> {
                                let k = kk + x &* blocks &* 64
                                let start = lo[x] &* 4
                                var sum = SIMD16<Int32>.zero
                                for block in 0..<blocks {
                                    let bytes = UnsafeRawPointer(rgbx).loadUnaligned(fromByteOffset: start + block * 16, as: SIMD16<UInt8>.self)
                                    let w = k.loadUnaligned(fromByteOffset: block * 64, as: SIMD16<Int32>.self)
                                    sum &+= SIMD16<Int32>(truncatingIfNeeded: bytes) &* w
                                }
                                let eight = sum.lowHalf &+ sum.highHalf
                                return eight.lowHalf &+ eight.highHalf
                            }
                            // Whole 16-byte loads while they stay inside the row: 4 pixels each.
                            let vectorPixels = inWidth >= 6 ? (inWidth - 2) / 4 * 4 : 0
                            for row in rows {
                                let input = src + (row + firstRow) * inWidth * 3
                                widenRGB(input, into: wide, vectorPixels: vectorPixels, width: inWidth)
                                let out = dst + row * outWidth * 3
                                for group in 0..<groups {
                                    let x = group * 4
                                    let all = SIMD16<Int32>(lowHalf: SIMD8(lowHalf: sums(x), highHalf: sums(x + 1)),
                                                            highHalf: SIMD8(lowHalf: sums(x + 2), highHalf: sums(x + 3)))
                                    let shifted = (all &+ half) &>> ResampleCoefficients.precisionBits
                                    let clamped = shifted.clamped(lowerBound: .zero, upperBound: SIMD16(repeating: 255))
                                    let bytes = SIMD16<UInt8>(truncatingIfNeeded: clamped)
                                    let packed = SIMD16<UInt8>(bytes[0], bytes[1], bytes[2], bytes[4], bytes[5], bytes[6],
                                                               bytes[8], bytes[9], bytes[10], bytes[12], bytes[13], bytes[14],
                                                               0, 0, 0, 0)
                                    let target = UnsafeMutableRawPointer(out + x * 3)
                                    target.storeBytes(of: packed.lowHalf, as: SIMD8<UInt8>.self)
                                    target.storeBytes(of: SIMD4<UInt8>(packed[8], packed[9], packed[10], packed[11]),
                                                      toByteOffset: 8, as: SIMD4<UInt8>.self)
                                }
                                for x in (groups * 4)..<outWidth {
                                    let value = sums(x)
                                    out[x * 3] = clip8(half &+ value[0])
                                    out[x * 3 + 1] = clip8(half &+ value[1])
                                    out[x * 3 + 2] = clip8(half &+ value[2])
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// RGB bytes to RGBX (X = 0): 4 pixels per 16-byte load and one byte shuffle, then one by one.
    @inline(__always)
    private static func widenRGB(_ input: UnsafePointer<UInt8>, into wide: UnsafeMutablePointer<UInt8>,
                                 vectorPixels: Int, width: Int) {
        let source = UnsafeRawPointer(input), target = UnsafeMutableRawPointer(wide)
        var i = 0
        while i < vectorPixels {
            let v = source.loadUnaligned(fromByteOffset: 3 &* i, as: SIMD16<UInt8>.self)
            let rgbx = SIMD16<UInt8>(v[0], v[1], v[2], 0, v[3], v[4], v[5], 0,
                                     v[6], v[7], v[8], 0, v[9], v[10], v[11], 0)
            target.storeBytes(of: rgbx, toByteOffset: 4 &* i, as: SIMD16<UInt8>.self)
            i &+= 4
        }
        while i < width {
            wide[4 &* i] = input[3 &* i]
            wide[4 &* i &+ 1] = input[3 &* i &+ 1]
            wide[4 &* i &+ 2] = input[3 &* i &+ 2]
            i &+= 1
        }
    }

    /// Grey and other non-RGB rows (RGB takes `horizontalRGB`).
    @inline(__always)
    private static func horizontalRow(_ input: UnsafePointer<UInt8>, _ out: UnsafeMutablePointer<UInt8>,
                                      outWidth: Int, channels: Int, first: UnsafePointer<Int>,
                                      count: UnsafePointer<Int>, weights: UnsafePointer<Int32>, stride: Int) {
        switch channels {
        case 1:
            for x in 0..<outWidth {
                let k = weights + x * stride
                let pixel = input + first[x]
                var s0 = half
                for tap in 0..<count[x] { s0 &+= Int32(pixel[tap]) &* k[tap] }
                out[x] = clip8(s0)
            }
        default:
            for x in 0..<outWidth {
                let k = weights + x * stride
                let pixel = input + first[x] * channels
                for channel in 0..<channels {
                    var sum = half
                    for tap in 0..<count[x] { sum &+= Int32(pixel[tap * channels + channel]) &* k[tap] }
                    out[x * channels + channel] = clip8(sum)
                }
            }
        }
    }

    /// Resamples `image` vertically to `coefficients.outputSize` rows; `coefficients.first` indexes
    /// rows of `image`.
    static func vertical(_ image: Image, coefficients: ResampleCoefficients, threaded: Bool) -> Image {
        let rowLength = image.width * image.channels
        let outHeight = coefficients.outputSize
        let stride = coefficients.stride
        var output = [UInt8](repeating: 0, count: rowLength * outHeight)
        let work = threaded ? outHeight * rowLength * stride : 0
        image.pixels.withUnsafeBufferPointer { source in
            coefficients.weights.withUnsafeBufferPointer { weights in
                output.withUnsafeMutableBufferPointer { destination in
                    let src = source.baseAddress!
                    let dst = destination.baseAddress!
                    let kk = weights.baseAddress!
                    let first = coefficients.first, count = coefficients.count
                    forEachChunk(outHeight, work: work) { rows in
                        // One Int32 accumulator per sample of the output row: the tap loop then runs
                        // over whole rows and vectorises.
                        let accumulator = UnsafeMutablePointer<Int32>.allocate(capacity: rowLength)
                        defer { accumulator.deallocate() }
                        for row in rows {
                            accumulator.initialize(repeating: half, count: rowLength)
                            let k = kk + row * stride
                            for tap in 0..<count[row] {
                                let input = src + (first[row] + tap) * rowLength
                                let w = k[tap]
                                for i in 0..<rowLength { accumulator[i] &+= Int32(input[i]) &* w }
                            }
                            let out = dst + row * rowLength
                            for i in 0..<rowLength { out[i] = clip8(accumulator[i]) }
                        }
                    }
                }
            }
        }
        return Image(width: image.width, height: outHeight, channels: image.channels, pixels: output)
    }

    /// Pillow's `clip8`: arithmetic shift by 22 bits, clamped to 0...255.
    @inline(__always)
    private static func clip8(_ value: Int32) -> UInt8 {
        let shifted = value >> ResampleCoefficients.precisionBits
        return UInt8(truncatingIfNeeded: min(max(shifted, 0), 255))
    }

    /// Runs `body` over `0..<count` split into contiguous chunks, on two or more threads when `work`
    /// (multiply-adds; 0 when the caller keeps to its own thread) is large enough to pay for waking them.
    /// Dispatch's threads, not the kernels' pool: resizes run inside per-image maps on several
    /// threads at once (evaluate's image loading).
    private static func forEachChunk(_ count: Int, work: Int, _ body: (Range<Int>) -> Void) {
        if work < parallelThreshold {
            body(0..<count)
            return
        }
        Parallel.forEachRange(count, on: .dispatch, body)
    }
}
