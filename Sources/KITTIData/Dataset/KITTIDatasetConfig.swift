import Foundation
import Options

/// What a KITTI training or validation dataset needs (the arguments of the original's
/// `MonoDataset.__init__` plus the dataset class): the trainer fills it from the options.
public struct KITTIDatasetConfig: Sendable {
    /// Which tree: `raw` (`--dataset kitti`), `odometry` (`kitti_odom`) or `depth` (`kitti_depth`).
    public var kind: KITTILayout.Kind
    /// `--data_path`.
    public var dataPath: URL
    /// The split list, named in messages (e.g. `splits/eigen_zhou/train_files.txt`).
    public var splitFile: String
    /// The split's non-blank lines with their 1-based line numbers.
    public var lines: [(number: Int, text: String)]
    /// `--height`, `--width` (scale 0).
    public var height: Int
    public var width: Int
    /// `--frame_ids`, with `"s"` appended under `--use_stereo` (as the original does).
    public var frameIDs: [FrameID]
    /// `len(--scales)`: pyramid levels 0..<numScales, each half the previous size.
    public var numScales: Int
    /// `--png`: images are `.png` instead of `.jpg`.
    public var png: Bool
    /// Training set (flip and colour augmentation) or validation set (neither).
    public var isTrain: Bool
    /// `--dataset folder`: the images, intrinsics and stereo baseline come from this layout instead
    /// of the KITTI tree (`kind` and `png` are then unused).
    public var folder: FolderLayout?

    public init(kind: KITTILayout.Kind = .raw, dataPath: URL, splitFile: String, lines: [(number: Int, text: String)],
                height: Int, width: Int, frameIDs: [FrameID], numScales: Int = 4, png: Bool = false, isTrain: Bool) {
        self.kind = kind
        self.dataPath = dataPath
        self.splitFile = splitFile
        self.lines = lines
        self.height = height
        self.width = width
        self.frameIDs = frameIDs
        self.numScales = numScales
        self.png = png
        self.isTrain = isTrain
    }

    /// Reads the split list at `splitURL` (`utils.readlines`).
    public init(kind: KITTILayout.Kind = .raw, dataPath: URL, splitURL: URL, height: Int, width: Int,
                frameIDs: [FrameID], numScales: Int = 4, png: Bool = false, isTrain: Bool) throws(KITTIDataError) {
        self.init(kind: kind, dataPath: dataPath, splitFile: splitURL.path, lines: try SplitFile.lines(of: splitURL),
                  height: height, width: width, frameIDs: frameIDs, numScales: numScales, png: png, isTrain: isTrain)
    }

    /// The folder layout the images are read from.
    public var layout: KITTILayout { KITTILayout(kind, dataPath: dataPath, imageExtension: png ? ".png" : ".jpg") }

    /// The image of camera 2 or 3 at `frame` of a split line's folder, from the KITTI tree or the
    /// folder layout.
    func imageURL(folder name: String, frame: Int, camera: Int) throws(KITTIDataError) -> URL {
        if let folder { return try folder.imageURL(folder: name, frame: frame, camera: camera) }
        return try layout.imageURL(folder: name, frame: frame, camera: camera)
    }

    /// Frames between frame offsets 0 and 1: `--frame_stride` for a folder layout, else 1.
    var frameStep: Int { folder?.frameStride ?? 1 }

    /// Size of pyramid level `scale`: `(width // 2^scale, height // 2^scale)`.
    public func size(scale: Int) -> (width: Int, height: Int) { (width >> scale, height >> scale) }
}
