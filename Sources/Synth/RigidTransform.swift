/// A rotation and a translation in double precision (rig poses, calibration, poses.txt).
/// `apply(p) = rotation · p + translation`; `rotation` is row-major 3x3.
struct RigidTransform: Equatable, Sendable {
    var rotation: [Double]
    var translation: SIMD3<Double>

    static let identity = RigidTransform(rotation: [1, 0, 0, 0, 1, 0, 0, 0, 1], translation: .zero)

    func apply(_ p: SIMD3<Double>) -> SIMD3<Double> { rotate(p) + translation }

    func rotate(_ v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(rotation[0] * v.x + rotation[1] * v.y + rotation[2] * v.z,
              rotation[3] * v.x + rotation[4] * v.y + rotation[5] * v.z,
              rotation[6] * v.x + rotation[7] * v.y + rotation[8] * v.z)
    }

    /// Column `index` of the rotation: where this transform sends the axis `index`.
    func axis(_ index: Int) -> SIMD3<Double> {
        SIMD3(rotation[index], rotation[3 + index], rotation[6 + index])
    }

    /// self ∘ other: first `other`, then `self`.
    func composed(with other: RigidTransform) -> RigidTransform {
        var r = [Double](repeating: 0, count: 9)
        for i in 0..<3 {
            for j in 0..<3 {
                r[i * 3 + j] = rotation[i * 3] * other.rotation[j] + rotation[i * 3 + 1] * other.rotation[3 + j]
                    + rotation[i * 3 + 2] * other.rotation[6 + j]
            }
        }
        return RigidTransform(rotation: r, translation: apply(other.translation))
    }

    var inverse: RigidTransform {
        let t = [rotation[0], rotation[3], rotation[6], rotation[1], rotation[4], rotation[7], rotation[2], rotation[5], rotation[8]]
        let transposed = RigidTransform(rotation: t, translation: .zero)
        return RigidTransform(rotation: t, translation: -transposed.rotate(translation))
    }

    /// The 12 numbers of KITTI's 3x4 `[R | t]`, row-major.
    var matrix3x4: [Double] {
        [rotation[0], rotation[1], rotation[2], translation.x,
         rotation[3], rotation[4], rotation[5], translation.y,
         rotation[6], rotation[7], rotation[8], translation.z]
    }
}
