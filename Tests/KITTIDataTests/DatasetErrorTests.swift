import Foundation
import Options
import TestSupport
import XCTest
@testable import KITTIData

/// Fail fast: a split's problems are found before the first batch and reported together; an image
/// that cannot be decoded names the file and its split line.
final class DatasetErrorTests: XCTestCase {
    static let drive = "2011_09_26/2011_09_26_drive_0001_sync"

    func config(_ lines: [String], dataPath: URL? = nil,
                frameIDs: [FrameID] = [.offset(0), .offset(-1), .offset(1), .stereo]) throws -> KITTIDatasetConfig {
        KITTIDatasetConfig(dataPath: try dataPath ?? KITTIFixture.raw(), splitFile: "splits/test/train_files.txt",
                           lines: lines.enumerated().map { ($0.offset + 1, $0.element) },
                           height: 32, width: 96, frameIDs: frameIDs, isTrain: true)
    }

    func testMissingImagesAreListedTogetherWithLineNumbersAndTheTotal() throws {
        // Line 1 is fine; frames 3...8 lack every image (12 missing files); the drive's first frame
        // has no frame -1.
        var lines = ["\(Self.drive) 1 l"]
        lines += (3...8).map { "\(Self.drive) \($0) r" }
        lines.append("\(Self.drive) 0 l")
        let configuration = try config(lines)
        XCTAssertThrowsError(try KITTIDataset(configuration)) { error in
            guard case KITTIDataError.invalidSplit(let file, let problems) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "splits/test/train_files.txt")
            // Frame 3 misses 0 and +1 and s (frame 2 exists for -1): 3; frames 4...8: 4 each = 20;
            // frame 0 misses -1: 1.
            XCTAssertEqual(problems.count, 3 + 20 + 1)
            XCTAssertEqual(problems.last?.line, 8)
            XCTAssertEqual(problems.last?.path.map { $0.hasSuffix("image_02/data/-000000001.jpg") }, true)
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix("splits/test/train_files.txt: 24 problems on 7 lines (first 10 listed)"), message)
            let listed = message.split(separator: "\n").dropFirst()
            XCTAssertEqual(listed.count, 10)
            XCTAssertTrue(listed[1].hasPrefix("  splits/test/train_files.txt:2: missing image "), String(listed[1]))
            XCTAssertTrue(listed[1].hasSuffix("\(Self.drive)/image_03/data/0000000003.jpg"), String(listed[1]))
            XCTAssertFalse(message.contains(":8: "), "line 8's problem is past the first 10")
        }
    }

    func testMalformedLinesAreReportedWithTheirLineNumbers() throws {
        let lines = ["\(Self.drive) 1 l", "\(Self.drive) 1", "\(Self.drive) x l", "\(Self.drive) 1 q", "\(Self.drive) 1 2"]
        let configuration = try config(lines), empty = try config([])
        XCTAssertThrowsError(try KITTIDataset(configuration)) { error in
            guard case KITTIDataError.invalidSplit(_, let problems) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(problems.map(\.line), [2, 3, 4, 5])
            XCTAssertTrue(problems[0].message.hasPrefix("expected 3 fields (folder frame side), found 2"), problems[0].message)
            XCTAssertTrue(problems[1].message.hasPrefix("frame index 'x' is not a non-negative integer"), problems[1].message)
            XCTAssertTrue(problems[2].message.hasPrefix("side 'q' is not one of l, r, 2, 3"), problems[2].message)
            XCTAssertTrue(problems[3].message.hasPrefix("frame id \"s\" needs side l or r, not '2'"), problems[3].message)
            XCTAssertEqual("\(error)".split(separator: "\n").first, "splits/test/train_files.txt: 4 problems on 4 lines")
        }
        // An odometry folder must be a sequence number.
        var odometry = try config(["2011_09_26 1 l"], frameIDs: [.offset(0)])
        odometry.kind = .odometry
        XCTAssertThrowsError(try KITTIDataset(odometry)) { error in
            XCTAssertTrue("\(error)".contains("odometry folder '2011_09_26' is not a sequence number"), "\(error)")
        }
        XCTAssertThrowsError(try KITTIDataset(empty)) { error in
            XCTAssertEqual("\(error)", "splits/test/train_files.txt: the split has no lines")
        }
    }

    func testMissingDepthGroundTruthIsReportedUpFront() throws {
        // The first line has a scan, so depth is loaded: another line's missing scan is an error now,
        // not in the middle of training.
        let root = try copyOfTheFixtureDrive()
        try FileManager.default.removeItem(at: root.appendingPathComponent("\(Self.drive)/velodyne_points/data/0000000002.bin"))
        let configuration = try config(["\(Self.drive) 1 l", "\(Self.drive) 2 l"], dataPath: root, frameIDs: [.offset(0)])
        XCTAssertThrowsError(try KITTIDataset(configuration)) { error in
            guard case KITTIDataError.invalidSplit(_, let problems) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(problems.map(\.line), [2])
            XCTAssertTrue(problems[0].message.hasPrefix("missing depth ground truth "), problems[0].message)
            XCTAssertTrue(problems[0].message.hasSuffix("velodyne_points/data/0000000002.bin"), problems[0].message)
        }
    }

    func testAnImageThatFailsToDecodeNamesTheFileAndItsSplitLine() throws {
        let root = try copyOfTheFixtureDrive()
        let broken = root.appendingPathComponent("\(Self.drive)/image_03/data/0000000002.jpg")
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16]).write(to: broken)
        let dataset = try KITTIDataset(config(["\(Self.drive) 1 l", "\(Self.drive) 1 r", "\(Self.drive) 2 r"],
                                              dataPath: root, frameIDs: [.offset(0)]))
        for workers in [0, 2] {
            let loader = DataLoader(dataset: dataset, batchSize: 1, shuffle: false, dropLast: true, numWorkers: workers, seed: 0)
            let iterator = loader.epoch(0)
            XCTAssertNotNil(try iterator.next())
            XCTAssertNotNil(try iterator.next())
            XCTAssertThrowsError(try iterator.next()) { error in
                guard case KITTIDataError.unreadableImage(let path, let splitFile, let line, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(path, broken.path)
                XCTAssertEqual(splitFile, "splits/test/train_files.txt")
                XCTAssertEqual(line, 3)
                XCTAssertTrue("\(error)".hasPrefix("\(broken.path): cannot decode image (splits/test/train_files.txt:3): "), "\(error)")
            }
            if workers == 0 { XCTAssertNil(try iterator.next()) }
        }
    }

    /// A writable copy of reference/kitti/raw, removed after the test.
    func copyOfTheFixtureDrive() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("md2-data-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: try KITTIFixture.raw(), to: root)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        return root
    }
}
