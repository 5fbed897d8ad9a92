import Foundation

/// The ego-motion of one drive: a car in the right-hand lane of a straight street, about 1 m per
/// frame (36 km/h at KITTI's 10 Hz) with smooth speed changes, gentle weaving turns of a few
/// degrees and a little pitch from the suspension.
struct Trajectory: Sendable {
    /// Velodyne → world for each frame.
    var velodyneToWorld: [RigidTransform]

    /// The lane centre the car follows (y, metres; the street's right-hand lane).
    static let laneCentre = -1.6

    init(frames: Int, random: inout RandomSource) {
        let speedMean = random.uniform(0.85, 1.15)
        let speedAmplitude = random.uniform(0.15, 0.3)
        let speedPeriod = random.uniform(60, 140)
        let speedPhase = random.uniform(0, 2 * .pi)
        let weaveAmplitude = random.uniform(0.3, 0.6)
        let weaveWavelength = random.uniform(50, 110)
        let weavePhase = random.uniform(0, 2 * .pi)
        let pitchPhase = random.uniform(0, 2 * .pi)
        var x = 0.0
        var poses: [RigidTransform] = []
        poses.reserveCapacity(frames)
        for frame in 0..<frames {
            let f = Double(frame)
            // Lateral position y(x) and its slope give the heading: at most ~3 degrees of yaw.
            let k = 2 * Double.pi / weaveWavelength
            let y = Self.laneCentre + weaveAmplitude * sin(k * x + weavePhase)
            let yaw = atan(weaveAmplitude * k * cos(k * x + weavePhase))
            let pitch = 0.004 * sin(0.7 * f + pitchPhase)
            poses.append(Self.pose(x: x, y: y, yaw: yaw, pitch: pitch))
            x += speedMean + speedAmplitude * sin(2 * .pi * f / speedPeriod + speedPhase)
        }
        velodyneToWorld = poses
    }

    /// Velodyne → world for a car at (x, y) on the road with the given yaw (left turn positive)
    /// and pitch (nose down positive).
    static func pose(x: Double, y: Double, yaw: Double, pitch: Double) -> RigidTransform {
        let (cy, sy, cp, sp) = (cos(yaw), sin(yaw), cos(pitch), sin(pitch))
        // Rz(yaw) · Ry(pitch), row-major.
        let rotation = [cy * cp, -sy, cy * sp,
                        sy * cp, cy, sy * sp,
                        -sp, 0, cp]
        return RigidTransform(rotation: rotation, translation: SIMD3(x, y, StereoRig.velodyneHeight))
    }

    /// How far the street must reach beyond the start to stay in view for the whole drive.
    var travelled: Double { velodyneToWorld.last?.translation.x ?? 0 }

    /// Camera `camera` (2 or 3) → world at `frame`.
    func cameraToWorld(frame: Int, camera: Int) -> RigidTransform {
        velodyneToWorld[frame].composed(with: StereoRig.cameraToVelodyne(camera: camera))
    }

    /// KITTI odometry poses: camera 02 at each frame → camera 02 at frame 0.
    var odometryPoses: [RigidTransform] {
        guard !velodyneToWorld.isEmpty else { return [] }
        let worldToFirst = cameraToWorld(frame: 0, camera: 2).inverse
        return velodyneToWorld.indices.map { worldToFirst.composed(with: cameraToWorld(frame: $0, camera: 2)) }
    }
}
