import Foundation
import ImageIO

/// 16-bit depth PNGs: KITTI's annotated ground truth (read, value / 256) and the benchmark
/// predictions evaluate writes (uint16 of depth * 256).
/// ADAPTER: the only file that touches ImageIO's PNG codec.
public enum DepthPNG {
    /// `np.array(PIL.Image.open(path)).astype(np.float32) / 256` of a single-channel PNG
    /// (16-bit grey for KITTI; 8-bit grey is read the same way).
    public static func read(contentsOf url: URL) throws(KITTIDataError) -> FloatMap {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw .missingFile(path: url.path, what: "annotated depth PNG")
        }
        let image: PNGImage
        do { image = try PNG.read(contentsOf: url) } catch {
            throw .malformedFile(path: url.path, problem: error.problem)
        }
        switch image {
        case .sixteenBit(let grey) where grey.channels == 1:
            return FloatMap(width: grey.width, height: grey.height, values: grey.samples.map { Float($0) / 256 })
        case .eightBit(let grey) where grey.channels == 1:
            return FloatMap(width: grey.width, height: grey.height, values: grey.pixels.map { Float($0) / 256 })
        default:
            throw .badShape(path: url.path, expected: "a single-channel (grey) depth PNG", found: "a \(image.width)x\(image.height) colour or palette PNG")
        }
    }

    /// Writes `samples` (`height x width`) as a 16-bit grey PNG, atomically (`cv2.imwrite` of a uint16 map).
    public static func write(_ samples: [UInt16], width: Int, height: Int, to url: URL) throws(KITTIDataError) {
        do { try PNG.write(Image16(width: width, height: height, channels: 1, samples: samples), to: url) } catch {
            throw .malformedFile(path: url.path, problem: "cannot write (\(error.problem))")
        }
    }
}
