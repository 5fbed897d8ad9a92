/// The street's cross-section and the drive's global look (sun, textures). Distances in metres;
/// y = 0 is the road's centre line, negative y the car's (right-hand) side.
struct StreetStyle: Sendable {
    /// Half the carriageway width: two travel lanes plus a parking strip on each side.
    var roadHalfWidth: Float = 6
    /// |y| of the solid lines between the travel lanes and the parking strips.
    var laneEdge: Float = 3.25
    /// Kerb height (top of the sidewalks).
    var kerbHeight: Float = 0.15
    /// Sidewalk width on the right (y < 0) and on the left.
    var sidewalkRight: Float = 3
    var sidewalkLeft: Float = 3
    /// Spacing of zebra crossings along the street, and the first one.
    var crossingSpacing: Float = 140
    var crossingOffset: Float = 60
    /// Direction towards the sun (unit) and the light levels; the sun never moves, so every
    /// surface keeps its brightness from frame to frame.
    var sun = Vec3(0.4, -0.45, 0.8) / (Vec3(0.4, -0.45, 0.8) * Vec3(0.4, -0.45, 0.8)).sum().squareRoot()
    var ambient: Float = 0.5
    var direct: Float = 0.6
    /// Seeds of the ground textures and the sky.
    var seed: UInt32 = 1

    init() {}

    init(random: inout RandomSource) {
        sidewalkRight = random.float(2.5, 4)
        sidewalkLeft = random.float(2.5, 4)
        crossingSpacing = random.float(100, 180)
        crossingOffset = random.float(40, 100)
        let azimuth = random.uniform(-2.6, -0.5)
        let elevation = random.uniform(0.5, 1.0)
        let s = Vec3(Float(cos(elevation) * cos(azimuth)), Float(cos(elevation) * sin(azimuth)), Float(sin(elevation)))
        sun = s
        ambient = random.float(0.45, 0.55)
        direct = random.float(0.5, 0.65)
        seed = random.seed32()
    }

    /// The outer edge (|y|) of the sidewalk on a side (-1 right, +1 left).
    func sidewalkOuter(side: Float) -> Float { roadHalfWidth + (side < 0 ? sidewalkRight : sidewalkLeft) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
