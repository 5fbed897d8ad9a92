import Foundation
import ImageIO

/// 16-bit depth PNGs: KITTI's annotated ground truth (read, value / 256) and the benchmark
/// predictions evaluate writes (uint16 of depth * 256).
/// ADAPTER: the only file that touches ImageIO's PNG codec.
public enum DepthPNG {
    /// `np.array(PIL.Image.open(path)).astype(np.float32) / 256` of a 16-bit grey PNG.
    public static func read(contentsOf url: URL) throws(EvaluationError) -> DepthMap {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw .missingFile(path: url.path, what: "annotated depth PNG")
        }
        throw .unavailable("\(url.path): 16-bit PNG decoding is not available in this build yet")
    }

    /// Writes `samples` (`height x width`) as a 16-bit grey PNG, atomically.
    public static func write(_ samples: [UInt16], width: Int, height: Int, to url: URL) throws(EvaluationError) {
        throw .unavailable("\(url.path): 16-bit PNG encoding is not available in this build yet")
    }
}
