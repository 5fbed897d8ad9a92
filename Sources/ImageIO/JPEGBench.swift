import Foundation

/// Decode timing for the `bench` executable (e.g. `bench decode-jpeg --file F`) and opt-in tests.
public enum JPEGBench {
    public struct Timing: Sendable, CustomStringConvertible {
        public var decodes: Int
        public var medianMilliseconds: Double
        public var minimumMilliseconds: Double

        public var description: String {
            String(format: "%d decodes: median %.3f ms, min %.3f ms", decodes, medianMilliseconds, minimumMilliseconds)
        }
    }

    /// Decodes `bytes` (already in memory) repeatedly for about `seconds` after 3 warm-up decodes and
    /// returns the median and minimum time of one decode (each sample is one whole `JPEG.decode`).
    public static func decode(_ bytes: [UInt8], file: String = "<memory>", seconds: Double = 1) throws(ImageIOError) -> Timing {
        for _ in 0..<3 { _ = try JPEG.decode(bytes, file: file) }
        var samples: [Double] = []
        let end = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        repeat {
            let start = DispatchTime.now().uptimeNanoseconds
            let image = try JPEG.decode(bytes, file: file)
            let stop = DispatchTime.now().uptimeNanoseconds
            withExtendedLifetime(image) {}
            samples.append(Double(stop - start) / 1e6)
        } while DispatchTime.now().uptimeNanoseconds < end || samples.count < 5
        samples.sort()
        return Timing(decodes: samples.count, medianMilliseconds: samples[samples.count / 2],
                      minimumMilliseconds: samples[0])
    }
}
