/// The KITTI recording car's sensor layout, as this world builds it and as the calibration files
/// state it. Frames: the vehicle (and velodyne) frame has x forward, y left, z up; cameras have
/// x right, y down, z forward. Camera 02 is the rectified reference (camera 0 sits at the same
/// place, so `calib_velo_to_cam.txt` maps straight into camera 02); camera 03 is 0.54 m to its right.
public struct StereoRig: Sendable, Equatable {
    /// Image size in pixels.
    public var width: Int
    public var height: Int
    /// Focal length in percent of KITTI's (100: the data loader's K).
    public var focalPercent: Int

    public init(width: Int, height: Int, focalPercent: Int = 100) {
        self.width = width
        self.height = height
        self.focalPercent = focalPercent
    }

    /// The velodyne's height above the road (KITTI: 1.73 m).
    public static let velodyneHeight = 1.73
    /// Camera 02 in the velodyne frame: 0.27 m ahead and 0.08 m below (KITTI's T_velo_to_cam).
    public static let cameraOffsetInVelodyne = SIMD3<Double>(0.27, 0, -0.08)
    /// Stereo baseline between cameras 02 and 03 in metres (so that 0.1 x 54 = 5.4 holds).
    public static let baseline = 0.54

    /// Rectified intrinsics: the data loader's normalised K times the image size. Computed from
    /// integers so that the decimal written in the calibration file is the value used here.
    public var fx: Double { Double(58 * width * focalPercent) / 10_000 }
    public var fy: Double { Double(192 * height * focalPercent) / 10_000 }
    public var cx: Double { Double(width) / 2 }
    public var cy: Double { Double(height) / 2 }
    /// `P_rect_03[0][3]` = -fx · baseline.
    public var rightCameraTx: Double { -Double(58 * width * 54 * focalPercent) / 1_000_000 }

    /// velodyne → camera 02: a pure axis permutation plus the offset (`calib_velo_to_cam.txt`).
    static let velodyneToCamera: RigidTransform = {
        let rotation: [Double] = [0, -1, 0, 0, 0, -1, 1, 0, 0]
        let r = RigidTransform(rotation: rotation, translation: .zero)
        return RigidTransform(rotation: rotation, translation: -r.rotate(cameraOffsetInVelodyne))
    }()

    /// Camera `camera` (2 or 3) → velodyne frame.
    static func cameraToVelodyne(camera: Int) -> RigidTransform {
        let cameraToVelo = velodyneToCamera.inverse
        guard camera == 3 else { return cameraToVelo }
        // Camera 03 = camera 02 moved along its own x axis (to the right) by the baseline.
        return cameraToVelo.composed(with: RigidTransform(rotation: RigidTransform.identity.rotation,
                                                          translation: SIMD3(baseline, 0, 0)))
    }
}
