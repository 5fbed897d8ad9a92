import Dispatch

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
        let horizontal = needHorizontal ? table(width, newWidth) : nil
        var vertical = needVertical ? table(height, newHeight) : nil
        if !horizontalFirst, let rows = vertical {
            let shrunk = ImageResampler.vertical(self, coefficients: rows)
            guard let columns = horizontal else { return shrunk }
            return ImageResampler.horizontal(shrunk, rows: 0, count: newHeight, coefficients: columns)
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
            source = ImageResampler.horizontal(self, rows: firstRow, count: rowCount, coefficients: columns)
        }
        guard let rows = vertical else { return source }
        return ImageResampler.vertical(source, coefficients: rows)
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
                           coefficients: ResampleCoefficients) -> Image {
        let channels = image.channels
        let inWidth = image.width
        let outWidth = coefficients.outputSize
        let stride = coefficients.stride
        var output = [UInt8](repeating: 0, count: outWidth * rowCount * channels)
        let work = rowCount * outWidth * channels * stride
        image.pixels.withUnsafeBufferPointer { source in
            coefficients.weights.withUnsafeBufferPointer { weights in
                coefficients.first.withUnsafeBufferPointer { first in
                    coefficients.count.withUnsafeBufferPointer { count in
                        output.withUnsafeMutableBufferPointer { destination in
                            let src = ResampleShared(source.baseAddress!)
                            let dst = ResampleShared(destination.baseAddress!)
                            let kk = ResampleShared(weights.baseAddress!)
                            let lo = ResampleShared(first.baseAddress!)
                            let taps = ResampleShared(count.baseAddress!)
                            forEachChunk(rowCount, work: work) { rows in
                                for row in rows {
                                    let input = src.value + (row + firstRow) * inWidth * channels
                                    let out = dst.value + row * outWidth * channels
                                    horizontalRow(input, out, outWidth: outWidth, channels: channels,
                                                  first: lo.value, count: taps.value,
                                                  weights: kk.value, stride: stride)
                                }
                            }
                        }
                    }
                }
            }
        }
        return Image(width: outWidth, height: rowCount, channels: channels, pixels: output)
    }

    @inline(__always)
    private static func horizontalRow(_ input: UnsafePointer<UInt8>, _ out: UnsafeMutablePointer<UInt8>,
                                      outWidth: Int, channels: Int, first: UnsafePointer<Int>,
                                      count: UnsafePointer<Int>, weights: UnsafePointer<Int32>, stride: Int) {
        switch channels {
        case 3:
            for x in 0..<outWidth {
                let k = weights + x * stride
                var pixel = input + first[x] * 3
                var s0 = half, s1 = half, s2 = half
                for tap in 0..<count[x] {
                    let w = k[tap]
                    s0 &+= Int32(pixel[0]) &* w
                    s1 &+= Int32(pixel[1]) &* w
                    s2 &+= Int32(pixel[2]) &* w
                    pixel += 3
                }
                out[x * 3] = clip8(s0)
                out[x * 3 + 1] = clip8(s1)
                out[x * 3 + 2] = clip8(s2)
            }
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
    static func vertical(_ image: Image, coefficients: ResampleCoefficients) -> Image {
        let rowLength = image.width * image.channels
        let outHeight = coefficients.outputSize
        let stride = coefficients.stride
        var output = [UInt8](repeating: 0, count: rowLength * outHeight)
        let work = outHeight * rowLength * stride
        image.pixels.withUnsafeBufferPointer { source in
            coefficients.weights.withUnsafeBufferPointer { weights in
                output.withUnsafeMutableBufferPointer { destination in
                    let src = ResampleShared(source.baseAddress!)
                    let dst = ResampleShared(destination.baseAddress!)
                    let kk = ResampleShared(weights.baseAddress!)
                    let first = coefficients.first, count = coefficients.count
                    forEachChunk(outHeight, work: work) { rows in
                        // One Int32 accumulator per sample of the output row: the tap loop then runs
                        // over whole rows and vectorises.
                        let accumulator = UnsafeMutablePointer<Int32>.allocate(capacity: rowLength)
                        defer { accumulator.deallocate() }
                        for row in rows {
                            accumulator.initialize(repeating: half, count: rowLength)
                            let k = kk.value + row * stride
                            for tap in 0..<count[row] {
                                let input = src.value + (first[row] + tap) * rowLength
                                let w = k[tap]
                                for i in 0..<rowLength { accumulator[i] &+= Int32(input[i]) &* w }
                            }
                            let out = dst.value + row * rowLength
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
    /// (multiply-adds) is large enough to pay for waking them.
    private static func forEachChunk(_ count: Int, work: Int, _ body: (Range<Int>) -> Void) {
        let threads = work >= parallelThreshold ? min(ResampleThreads.count, count) : 1
        if threads <= 1 {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = ResampleShared(body)
            DispatchQueue.concurrentPerform(iterations: threads) { chunk in
                let start = count * chunk / threads
                let end = count * (chunk + 1) / threads
                box.value(start..<end)
            }
        }
    }
}

/// A value that may cross into `concurrentPerform` closures; the caller guarantees disjoint writes.
struct ResampleShared<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// The number of online cores, read once.
enum ResampleThreads {
    static let count: Int = {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 2
        #endif
    }()
}

#if canImport(Glibc)
import Glibc
#endif
