import Foundation

/// Where the KITTI layouts keep an image (MONODEPTH2.md §5.1): the raw dataset
/// (`KITTIRAWDataset.get_image_path`) and the odometry dataset (`KITTIOdomDataset`).
public enum KITTIPaths {
    /// `data_path/<folder>/image_0<camera>/data/<frame:010d><ext>`.
    public static func rawImage(dataPath: URL, folder: String, frame: Int, camera: Int, ext: String = ".jpg") -> URL {
        dataPath.appendingPathComponent(folder)
            .appendingPathComponent("image_0\(camera)")
            .appendingPathComponent("data")
            .appendingPathComponent(String(format: "%010d", frame) + ext)
    }

    /// `data_path/sequences/<sequence:02d>/image_<camera>/<frame:06d><ext>`.
    public static func odometryImage(dataPath: URL, sequence: Int, frame: Int, camera: Int, ext: String = ".jpg") -> URL {
        dataPath.appendingPathComponent("sequences")
            .appendingPathComponent(String(format: "%02d", sequence))
            .appendingPathComponent("image_\(camera)")
            .appendingPathComponent(String(format: "%06d", frame) + ext)
    }
}
