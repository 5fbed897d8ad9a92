/// One rectified pinhole camera placed in the world, generating a ray per pixel. Pixel (column c,
/// row r) looks along K⁻¹·(c, r, 1): centres sit at integer coordinates, as in Monodepth2's
/// back-projection. Rays are not normalised: their camera-z component is 1, so a hit distance
/// is the z-depth directly.
struct CameraView: Sendable {
    var origin: Vec3
    var right: Vec3
    var down: Vec3
    var forward: Vec3
    var fx, fy, cx, cy: Float
    var width, height: Int

    init(cameraToWorld pose: RigidTransform, rig: StereoRig) {
        func vector(_ v: SIMD3<Double>) -> Vec3 { Vec3(Float(v.x), Float(v.y), Float(v.z)) }
        origin = vector(pose.translation)
        right = vector(pose.axis(0))
        down = vector(pose.axis(1))
        forward = vector(pose.axis(2))
        fx = Float(rig.fx); fy = Float(rig.fy); cx = Float(rig.cx); cy = Float(rig.cy)
        width = rig.width; height = rig.height
    }

    @inline(__always)
    func direction(column: Float, row: Float) -> Vec3 {
        forward + right * ((column - cx) / fx) + down * ((row - cy) / fy)
    }
}
