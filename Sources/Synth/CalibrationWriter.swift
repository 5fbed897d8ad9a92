import Foundation

/// KITTI's calibration text files for the rig, readable by `kitti_utils.read_calib_file`
/// ("key: numbers" lines, numbers in `%e`). Only P_rect_02/03, R_rect_00, S_rect_02 and the
/// velodyne → camera transform matter to Monodepth2; the rest completes the real files' layout
/// (unrectified = rectified: no distortion, identity rotations).
enum CalibrationWriter {
    /// `%e`, with rounding residue (and -0) written as 0.
    static func number(_ value: Double) -> String { String(format: "%e", abs(value) < 1e-12 ? 0 : value) }

    static func line(_ key: String, _ values: [Double]) -> String {
        "\(key): " + values.map(number).joined(separator: " ") + "\n"
    }

    static func cameraToCamera(_ rig: StereoRig) -> String {
        let (fx, fy, cx, cy) = (rig.fx, rig.fy, rig.cx, rig.cy)
        let size = [Double(rig.width), Double(rig.height)]
        let k = [fx, 0, cx, 0, fy, cy, 0, 0, 1]
        let identity: [Double] = [1, 0, 0, 0, 1, 0, 0, 0, 1]
        var text = "calib_time: 01-Jan-2000 00:00:00\n" + line("corner_dist", [0.0995])
        for camera in 0..<4 {
            let name = "0\(camera)"
            // Cameras 1 and 3 (the right ones) sit one baseline to the right of 0 and 2.
            let right = camera % 2 == 1
            text += line("S_\(name)", size) + line("K_\(name)", k) + line("D_\(name)", [0, 0, 0, 0, 0])
            text += line("R_\(name)", identity) + line("T_\(name)", [right ? -StereoRig.baseline : 0, 0, 0])
            text += line("S_rect_\(name)", size) + line("R_rect_\(name)", identity)
            text += line("P_rect_\(name)", [fx, 0, cx, right ? rig.rightCameraTx : 0, 0, fy, cy, 0, 0, 0, 1, 0])
        }
        return text
    }

    static func velodyneToCamera() -> String {
        let t = StereoRig.velodyneToCamera
        return "calib_time: 01-Jan-2000 00:00:00\n" + line("R", t.rotation)
            + line("T", [t.translation.x, t.translation.y, t.translation.z])
            + line("delta_f", [0, 0]) + line("delta_c", [0, 0])
    }

    /// The IMU sits 0.81 m behind, 0.32 m left of and 0.80 m below the velodyne, axes aligned
    /// (roughly KITTI's; no oxts data is written, so nothing reads it).
    static func imuToVelodyne() -> String {
        "calib_time: 01-Jan-2000 00:00:00\n" + line("R", [1, 0, 0, 0, 1, 0, 0, 0, 1]) + line("T", [-0.81, 0.32, -0.8])
    }

    static func write(_ rig: StereoRig, to directory: URL) throws(SynthError) {
        try WorldFiles.write(cameraToCamera(rig), to: directory.appendingPathComponent("calib_cam_to_cam.txt"))
        try WorldFiles.write(velodyneToCamera(), to: directory.appendingPathComponent("calib_velo_to_cam.txt"))
        try WorldFiles.write(imuToVelodyne(), to: directory.appendingPathComponent("calib_imu_to_velo.txt"))
    }
}

/// `poses.txt` of a drive in KITTI odometry format: per frame, camera 02 → camera 02 of frame 0
/// as 12 numbers (3x4 row-major).
enum PoseWriter {
    static func text(_ poses: [RigidTransform]) -> String {
        poses.map { pose in pose.matrix3x4.map(CalibrationWriter.number).joined(separator: " ") + "\n" }.joined()
    }
}
