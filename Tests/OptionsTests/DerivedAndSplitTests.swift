import Foundation
import XCTest
@testable import Options

final class DerivedOptionsTests: XCTestCase {
    func derived(_ arguments: [String]) throws -> DerivedOptions {
        try MonodepthOptions.parse(arguments, program: "train").derived
    }

    func testMonoDefaults() throws {
        let values = try derived([])
        XCTAssertEqual(values, DerivedOptions(numInputFrames: 3, numPoseFrames: 2, usePoseNet: true,
                                              frameIDs: [.offset(0), .offset(-1), .offset(1)], numScales: 4))
    }

    func testStereoAppendsSAfterCountingFrames() throws {
        let values = try derived(["--use_stereo", "--pose_model_input", "all"])
        XCTAssertEqual(values.numInputFrames, 3)
        XCTAssertEqual(values.numPoseFrames, 3)
        XCTAssertTrue(values.usePoseNet)
        XCTAssertEqual(values.frameIDs.map(\.description), ["0", "-1", "1", "s"])
    }

    func testStereoOnlyHasNoPoseNet() throws {
        let values = try derived(["--use_stereo", "--frame_ids", "0", "--scales", "0", "2"])
        XCTAssertEqual(values.numInputFrames, 1)
        XCTAssertEqual(values.numPoseFrames, 2)
        XCTAssertFalse(values.usePoseNet)
        XCTAssertEqual(values.frameIDs, [.offset(0), .stereo])
        XCTAssertEqual(values.numScales, 2)
        XCTAssertEqual(FrameID.stereo.offset, nil)
        XCTAssertEqual(FrameID.offset(-1).offset, -1)
    }
}

final class SplitFolderTests: XCTestCase {
    func testKITTISplitsLiveInThePackageAndSyntheticUnderTheData() {
        var options = MonodepthOptions()
        options.dataPath = "/data/world"
        let package = URL(fileURLWithPath: "/checkout/splits")
        XCTAssertEqual(options.splitFolder(for: TrainSplit.eigenZhou, packageSplits: package).path, "/checkout/splits/eigen_zhou")
        XCTAssertEqual(options.splitFolder(for: EvalSplit.eigenBenchmark, packageSplits: package).path,
                       "/checkout/splits/eigen_benchmark")
        XCTAssertEqual(options.splitFolder(for: EvalSplit.odom10, packageSplits: package).path, "/checkout/splits/odom")
        XCTAssertEqual(options.splitFolder(for: TrainSplit.synthetic, packageSplits: package).path, "/data/world/splits/synthetic")
        XCTAssertEqual(options.splitFolder(for: EvalSplit.synthetic, packageSplits: package).path, "/data/world/splits/synthetic")
    }

    func testExpandUserAsPython() {
        let home = DefaultPaths.expandingUser("~")
        XCTAssertFalse(home.hasPrefix("~"))
        XCTAssertEqual(DefaultPaths.expandingUser("~/a/b"), (home == "/" ? "" : home) + "/a/b")
        XCTAssertEqual(DefaultPaths.expandingUser("/abs/~"), "/abs/~")
        XCTAssertEqual(DefaultPaths.expandingUser("rel"), "rel")
    }
}
