import Foundation
import ImageIO

/// Decode and encode timing for the opt-in JPEGSpeedTests (the `bench decode-jpeg` case is the
/// reported measurement).
public enum JPEGBench {
    public struct Timing: Sendable, CustomStringConvertible {
        /// Timed calls (decodes or encodes).
        public var decodes: Int
        public var medianMilliseconds: Double
        public var minimumMilliseconds: Double

        public var description: String {
            String(format: "%d calls: median %.3f ms, min %.3f ms", decodes, medianMilliseconds, minimumMilliseconds)
        }
    }

    /// Decodes `bytes` (already in memory) repeatedly for about `seconds` after 3 warm-up decodes and
    /// returns the median and minimum time of one decode (each sample is one whole `JPEG.decode`).
    public static func decode(_ bytes: [UInt8], file: String = "<memory>", seconds: Double = 1) throws(ImageIOError) -> Timing {
        var failure: ImageIOError?
        let timing = measure(seconds: seconds) {
            do throws(ImageIOError) {
                _ = try JPEG.decode(bytes, file: file)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return timing
    }

    /// Times `JPEG.encode` of `image` the same way.
    public static func encode(_ image: Image, quality: Int = 95, subsampling: JPEGSubsampling = .s420,
                              seconds: Double = 1) -> Timing {
        measure(seconds: seconds) { _ = JPEG.encode(image, quality: quality, subsampling: subsampling) }
    }

    static func measure(seconds: Double, _ body: () -> Void) -> Timing {
        for _ in 0..<3 { body() }
        var samples: [Double] = []
        let end = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        repeat {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        } while DispatchTime.now().uptimeNanoseconds < end || samples.count < 5
        samples.sort()
        return Timing(decodes: samples.count, medianMilliseconds: samples[samples.count / 2],
                      minimumMilliseconds: samples[0])
    }
}
