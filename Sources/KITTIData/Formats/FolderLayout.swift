import Foundation
import ImageIO
import Kernels

/// `--dataset folder`: a layout anyone can make from their own camera (an extension of ours; the
/// original hard-codes KITTI's intrinsics).
///
///     data_path/<sequence>/<frames, in name order>.jpg|.jpeg|.png   any size, the same within a sequence
///     data_path/<sequence>/cam.txt                                   3x3 K in pixels (or --intrinsics FILE)
///     data_path/<sequence>/right/<frames>                            optional: the right camera, same names
///
/// A split line is `<sequence> <frame index in name order> l|r`; `r` and the stereo frame read
/// `right/`. Frame offset o is `o * frameStride` frames of the folder. K is normalised per sequence
/// by its own image size (fx / width, cx / width, fy / height, cy / height), then scaled to each
/// pyramid level as the KITTI datasets do.
public struct FolderLayout: Sendable {
    /// One subfolder of frames.
    public struct Sequence: Sendable, Equatable {
        public var name: String
        /// The left (or only) camera's frames in name order.
        public var frames: [URL]
        /// `right/`'s frames, the same names, when the sequence is a stereo pair.
        public var rightFrames: [URL]?
        /// The frames' size in pixels.
        public var width: Int
        public var height: Int
        /// Pixel-unit K from `cam.txt` (or `--intrinsics`), and the file it came from.
        public var intrinsics: PinholeIntrinsics
        public var intrinsicsFile: String

        /// The dataset's normalised 4x4 K (row 0 over the width, row 1 over the height), float32.
        public var normalizedK: [Float] {
            let w = Double(width), h = Double(height)
            return [Float(intrinsics.fx / w), 0, Float(intrinsics.cx / w), 0,
                    0, Float(intrinsics.fy / h), Float(intrinsics.cy / h), 0,
                    0, 0, 1, 0,
                    0, 0, 0, 1]
        }
    }

    public static let intrinsicsFileName = "cam.txt"
    public static let rightFolderName = "right"
    static let imageExtensions: Set<String> = ["jpg", "jpeg", "png"]

    public var dataPath: URL
    /// Sequences in name order.
    public var sequences: [Sequence]
    /// `--frame_stride`.
    public var frameStride: Int
    /// stereo_T's translation for `--stereo_baseline` metres: 0.1 per 0.54 m, so that the original's
    /// stereo scale factor (5.4) still turns the network's depth into metres.
    public var stereoTranslation: Float

    /// Reads the folder: every subfolder with images is a sequence (its `cam.txt`, its frames' sizes
    /// from their headers, its `right/` frames). Throws naming the file for a missing or malformed
    /// `cam.txt`, mixed image sizes, a `right/` that does not match, or no sequence at all.
    public static func scan(dataPath: URL, intrinsicsFile: URL? = nil, frameStride: Int = 1,
                            stereoBaseline: Double = 0.54) throws(KITTIDataError) -> FolderLayout {
        guard frameStride >= 1 else { throw .invalidArgument("--frame_stride must be at least 1, not \(frameStride)") }
        guard stereoBaseline > 0 else { throw .invalidArgument("--stereo_baseline must be positive, not \(stereoBaseline)") }
        let shared = try intrinsicsFile.map { url throws(KITTIDataError) in try readIntrinsics(url) }
        var sequences: [Sequence] = []
        for folder in try subfolders(of: dataPath) {
            let frames = try imageFiles(in: folder)
            guard !frames.isEmpty else { continue }
            let camFile = folder.appendingPathComponent(intrinsicsFileName)
            let intrinsics: PinholeIntrinsics
            if let shared { intrinsics = shared } else {
                guard DatasetSplit.fileExists(camFile.path) else {
                    throw .missingFile(path: camFile.path, what: "the sequence's intrinsics (a 3x3 pixel-unit K; "
                                       + "or give --intrinsics FILE for every sequence)")
                }
                intrinsics = try readIntrinsics(camFile)
            }
            let size = try commonSize(frames)
            var rightFrames: [URL]?
            let rightFolder = folder.appendingPathComponent(rightFolderName)
            if isDirectory(rightFolder) {
                let right = try imageFiles(in: rightFolder)
                guard right.map(\.lastPathComponent) == frames.map(\.lastPathComponent) else {
                    throw .malformedFile(path: rightFolder.path, problem: "the right camera's frames (\(right.count)) "
                                         + "must have the same names as the sequence's (\(frames.count))")
                }
                let rightSize = try commonSize(right)
                guard rightSize == size else {
                    throw .badShape(path: right[0].path, expected: "\(size.width)x\(size.height) like the left frames",
                                    found: "\(rightSize.width)x\(rightSize.height)")
                }
                rightFrames = right
            }
            sequences.append(Sequence(name: folder.lastPathComponent, frames: frames, rightFrames: rightFrames,
                                      width: size.width, height: size.height, intrinsics: intrinsics,
                                      intrinsicsFile: intrinsicsFile?.path ?? camFile.path))
        }
        guard !sequences.isEmpty else {
            throw .malformedFile(path: dataPath.path, problem: "no sequence found: --dataset folder needs one subfolder of "
                                 + ".jpg/.png frames per sequence, each with a cam.txt")
        }
        return FolderLayout(dataPath: dataPath, sequences: sequences, frameStride: frameStride,
                            stereoTranslation: Float(0.1 * (stereoBaseline / 0.54)))
    }

    /// The sequence named by a split line's folder.
    public func sequence(named name: String) -> (index: Int, sequence: Sequence)? {
        sequences.firstIndex { $0.name == name }.map { ($0, sequences[$0]) }
    }

    /// The image of camera 2 (the sequence's frames) or 3 (`right/`) at `frame` of sequence `folder`.
    public func imageURL(folder: String, frame: Int, camera: Int) throws(KITTIDataError) -> URL {
        guard let sequence = sequence(named: folder)?.sequence else {
            throw .invalidArgument("no sequence '\(folder)' in \(dataPath.path)")
        }
        guard let frames = camera == 3 ? sequence.rightFrames : sequence.frames else {
            throw .invalidArgument("sequence '\(folder)' has no \(Self.rightFolderName)/ folder for the right camera")
        }
        guard frames.indices.contains(frame) else {
            throw .invalidArgument("frame \(frame) is outside sequence '\(folder)' (\(frames.count) frames)")
        }
        return frames[frame]
    }

    // MARK: - Reading the folder

    static func readIntrinsics(_ url: URL) throws(KITTIDataError) -> PinholeIntrinsics {
        guard DatasetSplit.fileExists(url.path) else { throw .missingFile(path: url.path, what: "the intrinsics file") }
        do { return try PinholeIntrinsics(contentsOf: url) } catch { throw .malformedFile(path: url.path, problem: error.problem) }
    }

    static func isDirectory(_ url: URL) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &flag) && flag.boolValue
    }

    static func subfolders(of url: URL) throws(KITTIDataError) -> [URL] {
        guard isDirectory(url) else { throw .missingFile(path: url.path, what: "--data_path folder") }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: url.path) } catch {
            throw .missingFile(path: url.path, what: "--data_path folder (\(error.localizedDescription))")
        }
        return names.filter { !$0.hasPrefix(".") }.sorted()
            .map { url.appendingPathComponent($0) }.filter(isDirectory)
    }

    /// The .jpg/.jpeg/.png files of a folder in name order.
    static func imageFiles(in folder: URL) throws(KITTIDataError) -> [URL] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder.path) } catch {
            throw .missingFile(path: folder.path, what: "the sequence folder (\(error.localizedDescription))")
        }
        return names.filter { !$0.hasPrefix(".") && imageExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
            .sorted().map { folder.appendingPathComponent($0) }
    }

    /// The size every frame shares (read from the headers, in parallel), or an error naming the first
    /// frame of another size (or one that is not an image).
    static func commonSize(_ frames: [URL]) throws(KITTIDataError) -> (width: Int, height: Int) {
        let sizes = Parallel.map(frames.count, on: .dispatch) { index -> Result<(width: Int, height: Int), ImageIOError> in
            Result { () throws(ImageIOError) in try ImageFileSize.read(frames[index]) }
        }
        var first: (width: Int, height: Int)?
        for (frame, size) in zip(frames, sizes) {
            switch size {
            case .failure(let error): throw .malformedFile(path: frame.path, problem: error.problem)
            case .success(let size):
                guard let reference = first else { first = size; continue }
                guard reference == size else {
                    throw .badShape(path: frame.path,
                                    expected: "\(reference.width)x\(reference.height) like \(frames[0].lastPathComponent) "
                                        + "(a sequence's frames must share one size)",
                                    found: "\(size.width)x\(size.height)")
                }
            }
        }
        return first ?? (0, 0)
    }
}
