import Foundation
import KITTIData
import XCTest
@testable import Synth

/// The training data loader (the KITTI raw dataset) reads the world's split as it reads KITTI.
final class SynthLoaderTests: XCTestCase {
    func testTheKITTIDatasetLoadsATrainingItemWithItsNeighboursStereoAndDepth() throws {
        let root = try TestWorld.shared.get()
        let config = try KITTIDatasetConfig(dataPath: root, splitURL: WorldLayout(root: root).trainList, height: 64, width: 192,
                                            frameIDs: [.offset(0), .offset(-1), .offset(1), .stereo], isTrain: false)
        let dataset = try KITTIDataset(config)
        XCTAssertEqual(dataset.count, 2)
        XCTAssertTrue(dataset.loadsDepth, "the velodyne scans were not found")
        let batch = try dataset.batch([0, 1], augmentations: [.none, .none])
        XCTAssertEqual(batch.color(.offset(-1), scale: 0).shape, [2, 3, 64, 192])
        XCTAssertNotNil(batch.stereoT)
        XCTAssertNotNil(batch.depthGT)
    }
}
