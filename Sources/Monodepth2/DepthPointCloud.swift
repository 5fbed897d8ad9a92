import Foundation
import ImageIO

/// A pinhole camera in pixel units, `K = [[fx, 0, cx], [0, fy, cy], [0, 0, 1]]`, at the size of the
/// image it describes.
public struct CameraIntrinsics: Sendable, Equatable {
    /// Focal length along x, in pixels.
    public var fx: Double
    /// Focal length along y, in pixels.
    public var fy: Double
    /// Principal point x, in pixels.
    public var cx: Double
    /// Principal point y, in pixels.
    public var cy: Double

    /// A camera from its focal lengths and principal point, in pixels.
    public init(fx: Double, fy: Double, cx: Double, cy: Double) {
        self.fx = fx
        self.fy = fy
        self.cx = cx
        self.cy = cy
    }

    /// Monodepth2's KITTI camera (normalised K 0.58, 1.92, 0.5, 0.5) scaled to an image size.
    public static func kitti(width: Int, height: Int) -> CameraIntrinsics {
        CameraIntrinsics(PinholeIntrinsics.kitti(width: width, height: height))
    }

    /// Reads a 3×3 pixel K from a text file (nine numbers separated by spaces, commas, brackets or
    /// new lines: a `cam.txt`, or `np.savetxt` of K), as `demo --intrinsics` does.
    /// - Throws: `Monodepth2Error.unreadableArray` naming the file.
    public init(contentsOf url: URL) throws(Monodepth2Error) {
        do { self.init(try PinholeIntrinsics(contentsOf: url)) } catch {
            throw .unreadableArray(file: url.path, problem: error.description)
        }
    }

    init(_ k: PinholeIntrinsics) { self.init(fx: k.fx, fy: k.fy, cx: k.cx, cy: k.cy) }

    var pinhole: PinholeIntrinsics { PinholeIntrinsics(fx: fx, fy: fy, cx: cx, cy: cy) }
}

/// Coloured 3-D points in the camera frame (x right, y down, z forward), one per pixel with a
/// positive finite depth, in row order: what `DepthPrediction.pointCloud` gives.
public struct DepthPointCloud: Sendable, Equatable {
    /// The points (x, y, z).
    public var points: [SIMD3<Float>]
    /// Each point's colour (red, green, blue), from the image.
    public var colors: [SIMD3<UInt8>]

    init(_ cloud: PointCloud) {
        points = cloud.points
        colors = cloud.colors
    }

    /// Writes a binary little-endian PLY file (x, y, z floats and red, green, blue bytes per point,
    /// as `demo --save_point_cloud`; Open3D, MeshLab and CloudCompare read it).
    /// - Throws: `Monodepth2Error.writeFailed` naming the file.
    public func writePLY(to url: URL) throws(Monodepth2Error) {
        do { try PLY.write(PointCloud(points: points, colors: colors), to: url) } catch {
            throw .writeFailed(file: url.path, problem: error.description)
        }
    }
}
