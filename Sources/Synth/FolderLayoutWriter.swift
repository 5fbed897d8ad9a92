import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The world's training drives as a folder dataset (`--dataset folder`): per drive a sequence
/// `folder/drive_NNNN/` with camera 02's frames, `right/` with camera 03's (hard links to the KITTI
/// tree's JPEGs, copies where links fail) and `cam.txt`, the rig's 3x3 K in pixels. The test drive
/// stays out: it is evaluated from the KITTI tree (`--eval_split synthetic`), whose calibration
/// files carry the same K.
enum FolderLayoutWriter {
    static func write(config: SyntheticWorldConfig, rig: StereoRig, layout: WorldLayout) throws(SynthError) {
        try? FileManager.default.removeItem(at: layout.folderRoot)
        let training = config.trainingFrames
        for drive in training.drives {
            let sequence = layout.folderRoot.appendingPathComponent(WorldLayout.sequenceName(drive))
            let right = sequence.appendingPathComponent("right")
            try WorldFiles.createDirectory(right)
            try WorldFiles.write(camText(rig), to: sequence.appendingPathComponent("cam.txt"))
            for frame in 0..<training.frames {
                let name = WorldLayout.frameName(frame) + ".jpg"
                try link(layout.frameFile(drive: drive, folder: "image_02", frame: frame, ext: "jpg"),
                         to: sequence.appendingPathComponent(name))
                try link(layout.frameFile(drive: drive, folder: "image_03", frame: frame, ext: "jpg"),
                         to: right.appendingPathComponent(name))
            }
        }
    }

    /// `fx 0 cx / 0 fy cy / 0 0 1`, each number in its shortest exact decimal.
    static func camText(_ rig: StereoRig) -> String {
        [[rig.fx, 0, rig.cx], [0, rig.fy, rig.cy], [0, 0, 1]]
            .map { row in row.map { "\($0)" }.joined(separator: " ") + "\n" }.joined()
    }

    static func link(_ source: URL, to destination: URL) throws(SynthError) {
        if Glibc.link(source.path, destination.path) == 0 { return }
        do { try FileManager.default.copyItem(at: source, to: destination) } catch {
            throw .cannotWrite(path: destination.path, reason: "cannot link or copy \(source.path): \(error.localizedDescription)")
        }
    }
}
