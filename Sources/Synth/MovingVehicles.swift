/// Vehicles that move independently of the camera (`--moving_objects`): oncoming traffic in the
/// left lane and a car ahead in the ego lane that keeps a varying gap (nearly static relative to
/// the camera: the case Monodepth2's auto-masking exists for).
struct MovingVehicles: Sendable {
    struct Oncoming: Sendable {
        var startX: Float
        var speed: Float  // metres per frame, negative x
        var length: Float
        var seed: UInt64
    }

    var oncoming: [Oncoming] = []
    var leadSeed: UInt64 = 0
    var leadGap: (mean: Float, amplitude: Float, period: Float) = (18, 6, 70)
    var hasLead = false

    static let oncomingLane: Float = 1.6

    init() {}

    init(start: Float, end: Float, frames: Int, random: inout RandomSource) {
        hasLead = true
        leadSeed = random.next()
        leadGap = (random.float(14, 22), random.float(3, 8), random.float(50, 100))
        // Oncoming cars spread along the street far enough ahead to meet the ego car.
        var x = start + random.float(10, 40)
        let reach = end + Float(frames) * 1.5
        while x < reach {
            oncoming.append(Oncoming(startX: x, speed: -random.float(0.6, 1.4), length: random.float(3.9, 4.8),
                                     seed: random.next()))
            x += random.float(25, 70)
        }
    }

    /// The vehicles at `frame`, given the ego car's x then.
    func objects(frame: Int, egoX: Float) -> [SceneObject] {
        var parts: [SceneObject] = []
        for car in oncoming {
            let x = car.startX + car.speed * Float(frame)
            // Only cars near the camera matter; the rest would just fill the grid.
            guard x > egoX - 30, x < egoX + 250 else { continue }
            var random = RandomSource(seed: car.seed)
            parts.append(SceneObject(parts: StreetLayout.car(x: x, y: Self.oncomingLane, length: car.length, random: &random)))
        }
        if hasLead {
            var random = RandomSource(seed: leadSeed)
            let gap = leadGap.mean + leadGap.amplitude * Float(sin(2 * Double.pi * Double(frame) / Double(leadGap.period)))
            parts.append(SceneObject(parts: StreetLayout.car(x: egoX + gap, y: Float(Trajectory.laneCentre), length: 4.4, random: &random)))
        }
        return parts
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
