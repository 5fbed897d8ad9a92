import Kernels

/// An HDL-64E-like scan: 64 lasers from +2° down to -24.8° (1/3° apart in the upper block, 1/2° in
/// the lower, as the real sensor), a full turn in 2000 steps, 120 m range, no return from the sky.
/// Points are in the velodyne frame (x forward, y left, z up) with a reflectance from the surface's
/// albedo: KITTI's `velodyne_points/data/*.bin` layout.
enum LidarScanner {
    static let lasers = 64
    static let azimuthSteps = 2000
    static let maximumRange: Float = 120

    /// Elevation of each laser in radians, top to bottom.
    static let elevations: [Float] = (0..<lasers).map { laser in
        let degrees = laser < 32 ? 2.0 - Double(laser) / 3 : -8.83 - Double(laser - 32) * 0.5
        return Float(degrees * Double.pi / 180)
    }

    /// Velodyne-frame directions (unit), azimuth-major: index = step * lasers + laser. The turn
    /// starts behind the car and runs counter-clockwise seen from above.
    static let directions: [Vec3] = {
        var result: [Vec3] = []
        result.reserveCapacity(lasers * azimuthSteps)
        for step in 0..<azimuthSteps {
            let azimuth = -Double.pi + 2 * Double.pi * Double(step) / Double(azimuthSteps)
            for laser in 0..<lasers {
                let e = Double(elevations[laser])
                result.append(Vec3(Float(cos(e) * cos(azimuth)), Float(cos(e) * sin(azimuth)), Float(sin(e))))
            }
        }
        return result
    }()

    /// The scan from a velodyne at `pose` (velodyne → world): float32 quadruples x, y, z, reflectance.
    static func scan(scene: Scene, pose: RigidTransform) -> [Float] {
        let directions = Self.directions
        let count = directions.count
        let origin = Vec3(Float(pose.translation.x), Float(pose.translation.y), Float(pose.translation.z))
        let axes = (0..<3).map { index -> Vec3 in
            let a = pose.axis(index)
            return Vec3(Float(a.x), Float(a.y), Float(a.z))
        }
        // Each step (one column of 64 lasers) writes its own slots; 0 range = no return.
        var slots = [Float](repeating: 0, count: count * 4)
        let chunk = 50
        slots.withUnsafeMutableBufferPointer { buffer in
            let out = SendablePointer(buffer.baseAddress!)
            Parallel.forEach(azimuthSteps / chunk) { block in
                for index in (block * chunk * lasers)..<((block + 1) * chunk * lasers) {
                    let v = directions[index]
                    let d = axes[0] * v.x + axes[1] * v.y + axes[2] * v.z
                    let hit = scene.trace(origin, d, limit: maximumRange)
                    guard hit.index != Hit.sky, hit.t < maximumRange else { continue }
                    let p = origin + d * hit.t
                    let n = hit.index == Hit.ground ? Vec3(0, 0, 1) : scene.primitives[Int(hit.index)].normal(at: p)
                    let albedo = Textures.albedo(hit, p, n, footprint: 0.05, scene: scene)
                    let point = v * hit.t
                    out.pointer[index * 4] = point.x
                    out.pointer[index * 4 + 1] = point.y
                    out.pointer[index * 4 + 2] = point.z
                    out.pointer[index * 4 + 3] = min(max((albedo * Vec3(0.3, 0.59, 0.11)).sum(), 0.01), 1)
                }
            }
        }
        // Keep the returns in scan order.
        var points: [Float] = []
        points.reserveCapacity(count * 4)
        for index in 0..<count where slots[index * 4 + 3] > 0 {
            points.append(contentsOf: slots[(index * 4)..<(index * 4 + 4)])
        }
        return points
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
