import Foundation
import TestSupport

/// reference/kitti/raw: the fixture drive (3 frames, both cameras, velodyne scans, calibration),
/// 7 MB, not carried in the repository: the tests that read it skip without ../shared.
enum KITTIFixture {
    static let drive = "2011_09_26/2011_09_26_drive_0001_sync"

    static let files: [String] = ["2011_09_26/calib_cam_to_cam.txt", "2011_09_26/calib_velo_to_cam.txt",
                                  "2011_09_26/calib_imu_to_velo.txt"]
        + (0...2).flatMap { frame in
            ["image_02", "image_03"].map { "\(drive)/\($0)/data/000000000\(frame).jpg" }
                + ["\(drive)/velodyne_points/data/000000000\(frame).bin"]
        }

    /// The raw folder with every file of the drive.
    static func raw() throws -> URL { try Fixtures.reference("kitti/raw", containing: files) }
}
