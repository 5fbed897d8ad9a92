import Foundation
import ImageIO
import KITTIData
import Options
import TensorCore
import XCTest
@testable import Synth

/// `--dataset folder` on the synthetic world written in both layouts (`synth-kitti --folder_layout`):
/// the folder dataset reads the same pixels as the KITTI tree, with K from each sequence's cam.txt.
final class FolderDatasetTests: XCTestCase {
    static let kittiCamera = generate(focalPercent: 100, name: "folder-kitti-k")
    static let otherCamera = generate(focalPercent: 125, name: "folder-other-k")

    static func generate(focalPercent: Int, name: String) -> Result<URL, SynthError> {
        TestWorld.generate(SyntheticWorldConfig(drives: 2, frames: 6, seed: 5, width: 200, height: 64,
                                                focalPercent: focalPercent, folderLayout: true), name: name)
    }

    static let frames: [FrameID] = [.offset(0), .offset(-1), .offset(1), .stereo]

    /// A dataset of the given lines: from the world's folder layout, or (`folderLines` nil) its KITTI tree.
    func dataset(_ root: URL, folderLines: [String]?, kittiLines: [String] = [], frameStride: Int = 1) throws -> KITTIDataset {
        let lines = folderLines ?? kittiLines
        var config = KITTIDatasetConfig(dataPath: folderLines == nil ? root : WorldLayout(root: root).folderRoot,
                                        splitFile: "test", lines: FolderSplit.numbered(lines),
                                        height: 64, width: 192, frameIDs: Self.frames, isTrain: true)
        if folderLines != nil { config.folder = try FolderLayout.scan(dataPath: config.dataPath, frameStride: frameStride) }
        return try KITTIDataset(config)
    }

    func testTheFolderLayoutHoldsTheTrainingDrivesWithTheRigsK() throws {
        let root = try Self.otherCamera.get()
        let layout = try FolderLayout.scan(dataPath: WorldLayout(root: root).folderRoot)
        XCTAssertEqual(layout.sequences.map(\.name), ["drive_0001"], "the test drive must stay out of the training folder")
        let sequence = layout.sequences[0]
        XCTAssertEqual(sequence.frames.count, 6)
        XCTAssertEqual(sequence.rightFrames?.count, 6)
        XCTAssertEqual(sequence.width, 200)
        XCTAssertEqual(sequence.height, 64)
        // 125% of KITTI's 0.58 W and 1.92 H, principal point in the middle.
        let rig = StereoRig(width: 200, height: 64, focalPercent: 125)
        XCTAssertEqual(sequence.intrinsics, PinholeIntrinsics(fx: 145, fy: 153.6, cx: 100, cy: 32))
        XCTAssertEqual(sequence.intrinsics.fx, rig.fx)
        XCTAssertEqual(sequence.intrinsics.fy, rig.fy)
        // The frames are the KITTI tree's bytes.
        let tree = WorldLayout(root: root).frameFile(drive: 1, folder: "image_03", frame: 4, ext: "jpg")
        XCTAssertEqual(try Data(contentsOf: sequence.rightFrames![4]), try Data(contentsOf: tree))
    }

    func testFolderSamplesEqualTheKITTITreesWithEveryAugmentation() throws {
        let root = try Self.kittiCamera.get()
        let drive = WorldLayout.driveFolder(1)
        let folder = try dataset(root, folderLines: ["drive_0001 1 l", "drive_0001 4 r"])
        let kitti = try dataset(root, folderLines: nil, kittiLines: ["\(drive) 1 l", "\(drive) 4 r"])
        let augmentations = [SampleAugmentation.none] + (0..<4).map { SampleAugmentation.random(seed: 3, epoch: 0, index: $0) }
        XCTAssertTrue(augmentations.contains { $0.flip } && augmentations.contains { $0.jitter != nil }, "flip and jitter are covered")
        for augmentation in augmentations {
            let a = try folder.batch([0, 1], augmentations: [augmentation, augmentation])
            let b = try kitti.batch([0, 1], augmentations: [augmentation, augmentation])
            for id in Self.frames {
                for scale in 0..<4 {
                    XCTAssertEqual(a.color(id, scale: scale).scalars(), b.color(id, scale: scale).scalars(), "color \(id) \(scale)")
                    XCTAssertEqual(a.colorAug(id, scale: scale).scalars(), b.colorAug(id, scale: scale).scalars(), "color_aug \(id) \(scale)")
                }
            }
            XCTAssertEqual(a.stereoT?.scalars(), b.stereoT?.scalars(), "KITTI's baseline gives the original's 0.1")
            for scale in 0..<4 {
                // cam.txt's 116 / 200 and 122.88 / 64 are KITTI's 0.58 and 1.92 to the last float bit or one.
                let (ka, kb) = (a.K[scale].scalars(), b.K[scale].scalars())
                for (x, y) in zip(ka, kb) { XCTAssertEqual(x, y, accuracy: 1e-6 * max(1, abs(y)), "K scale \(scale)") }
                let (ia, ib) = (a.invK[scale].scalars(), b.invK[scale].scalars())
                for (x, y) in zip(ia, ib) { XCTAssertEqual(x, y, accuracy: 1e-6 * max(1, abs(y)), "inv_K scale \(scale)") }
            }
        }
    }

    func testAnotherCamerasKReachesTheBatchScaledPerLevel() throws {
        let root = try Self.otherCamera.get()
        let batch = try dataset(root, folderLines: ["drive_0001 2 l"]).batch([0], augmentations: [.none])
        for scale in 0..<4 {
            let (w, h) = (Float(192 >> scale), Float(64 >> scale))
            let k = batch.K[scale].scalars()
            XCTAssertEqual(k[0], 0.725 * w, accuracy: 1e-5 * w)      // 1.25 * 0.58
            XCTAssertEqual(k[5], 2.4 * h, accuracy: 1e-5 * h)        // 1.25 * 1.92
            XCTAssertEqual(k[2], 0.5 * w, accuracy: 1e-6 * w)
            XCTAssertEqual(k[6], 0.5 * h, accuracy: 1e-6 * h)
            let inverse = batch.invK[scale].scalars()
            XCTAssertEqual(inverse[0] * k[0], 1, accuracy: 1e-6)
            XCTAssertEqual(inverse[5] * k[5], 1, accuracy: 1e-6)
        }
    }

    func testGeneratedSplitMatchesTheWorldsTrainingFrames() throws {
        let root = try Self.kittiCamera.get()
        let layout = try FolderLayout.scan(dataPath: WorldLayout(root: root).folderRoot)
        let split = try FolderSplit(layout: layout, frameOffsets: [0, -1, 1], valEvery: 2)
        // Frames 1...4 have both neighbours; positions 1 and 3 (frames 2 and 4) go to validation.
        XCTAssertEqual(split.train, ["drive_0001 1 l", "drive_0001 1 r", "drive_0001 3 l", "drive_0001 3 r"])
        XCTAssertEqual(split.validation, ["drive_0001 2 l", "drive_0001 2 r", "drive_0001 4 l", "drive_0001 4 r"])
        // With --frame_stride 2 frame -1 is two frames back: only frames 2 and 3 remain usable.
        let strided = try FolderLayout.scan(dataPath: WorldLayout(root: root).folderRoot, frameStride: 2)
        let stridedSplit = try FolderSplit(layout: strided, frameOffsets: [0, -1, 1], valEvery: 10)
        XCTAssertEqual(stridedSplit.train + stridedSplit.validation,
                       ["drive_0001 2 l", "drive_0001 2 r", "drive_0001 3 l", "drive_0001 3 r"])
        // And the strided item reads frame 2 - 2 for id -1 and 2 + 2 for id 1.
        let drive = WorldLayout.driveFolder(1)
        let item = try dataset(root, folderLines: ["drive_0001 2 l"], frameStride: 2).batch([0], augmentations: [.none])
        let previous = try dataset(root, folderLines: nil, kittiLines: ["\(drive) 1 l"]).batch([0], augmentations: [.none])
        let next = try dataset(root, folderLines: nil, kittiLines: ["\(drive) 3 l"]).batch([0], augmentations: [.none])
        XCTAssertEqual(item.color(.offset(-1), scale: 0).scalars(), previous.color(.offset(-1), scale: 0).scalars())
        XCTAssertEqual(item.color(.offset(1), scale: 0).scalars(), next.color(.offset(1), scale: 0).scalars())
        XCTAssertNotEqual(item.color(.offset(1), scale: 0).scalars(), item.color(.offset(0), scale: 0).scalars())
    }
}
