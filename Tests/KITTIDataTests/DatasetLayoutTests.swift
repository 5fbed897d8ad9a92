import ArrayIO
import Foundation
import ImageIO
import Options
import TestSupport
import XCTest
@testable import KITTIData

/// The odometry and annotated-depth layouts read the same pixels as the raw layout, from their own
/// paths; depth_gt follows each layout's rule.
final class DatasetLayoutTests: XCTestCase {
    static let drive = "2011_09_26/2011_09_26_drive_0001_sync"

    func folder() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("md2-layout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        return root
    }

    func config(_ kind: KITTILayout.Kind, _ root: URL, _ line: String) -> KITTIDatasetConfig {
        KITTIDatasetConfig(kind: kind, dataPath: root, splitFile: "split.txt", lines: [(1, line)], height: 32, width: 96,
                           frameIDs: [.offset(0), .offset(-1), .stereo], isTrain: true)
    }

    func testOdometryLayoutReadsSequencesAndHasNoDepth() throws {
        let raw = try KITTIFixture.raw()
        let root = try folder()
        for (camera, rawCamera) in [(2, "image_02"), (3, "image_03")] {
            let images = root.appendingPathComponent("sequences/09/image_\(camera)")
            try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
            for frame in 0...2 {
                try FileManager.default.copyItem(at: raw.appendingPathComponent("\(Self.drive)/\(rawCamera)/data/000000000\(frame).jpg"),
                                                 to: images.appendingPathComponent("00000\(frame).jpg"))
            }
        }
        let augmentation = SampleAugmentation(flip: true, jitter: ColorJitter([.hue(0.05), .contrast(1.1)]))
        let odometry = try KITTIDataset(config(.odometry, root, "9 2 r"))
        XCTAssertFalse(odometry.loadsDepth)
        let ours = try odometry.batch([0], augmentations: [augmentation])
        XCTAssertNil(ours.depthGT)
        let reference = try KITTIDataset(config(.raw, raw, "\(Self.drive) 2 r")).batch([0], augmentations: [augmentation])
        for frame: FrameID in [.offset(0), .offset(-1), .stereo] {
            for scale in 0..<4 {
                XCTAssertEqual(ours.colorAug(frame, scale: scale).scalars(), reference.colorAug(frame, scale: scale).scalars())
            }
        }
        XCTAssertEqual(ours.stereoT?.scalars(), reference.stereoT?.scalars())
    }

    func testDepthLayoutReadsTheAnnotatedPNGMirroredWithTheImages() throws {
        let raw = try KITTIFixture.raw()
        let annotatedPNG = try Fixtures.reference("io/png/depth16_1242x375.png")
        let root = try folder()
        try FileManager.default.copyItem(at: raw.appendingPathComponent("2011_09_26"), to: root.appendingPathComponent("2011_09_26"))
        let annotated = root.appendingPathComponent("\(Self.drive)/proj_depth/groundtruth/image_03")
        try FileManager.default.createDirectory(at: annotated, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: annotatedPNG,
                                         to: annotated.appendingPathComponent("0000000001.png"))
        let dataset = try KITTIDataset(config(.depth, root, "\(Self.drive) 1 r"))
        XCTAssertTrue(dataset.loadsDepth)  // decided by the velodyne scan, as the original's check_depth
        let expected = try Fixtures.npy("io/png/depth16_1242x375.npy").values(as: UInt16.self).map { Float($0) / 256 }
        for flip in [false, true] {
            let depth = try XCTUnwrap(try dataset.batch([0], augmentations: [SampleAugmentation(flip: flip)]).depthGT)
            XCTAssertEqual(depth.shape, [1, 1, 375, 1242])
            var mirrored = expected
            if flip {
                for row in 0..<375 { mirrored[(row * 1242)..<((row + 1) * 1242)].reverse() }
            }
            XCTAssertEqual(depth.scalars(), mirrored, "flip \(flip)")
        }
    }
}
