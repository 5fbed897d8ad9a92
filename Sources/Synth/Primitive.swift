/// Single-precision vectors for ray casting (world frame: x along the street, y left, z up).
typealias Vec3 = SIMD3<Float>

/// What a surface is made of; chooses the procedural texture.
enum Material: UInt8, Sendable {
    case facade, backFacade, carBody, carCabin, tyre, metal, lamp, bark, leaves, bin, sign, sidewalk
}

/// One analytic shape of the scene: an axis-aligned box, an upright cylinder or a sphere.
/// Rays need not be normalised: hit distances are in units of the ray direction's length.
struct Primitive: Sendable {
    enum Shape: UInt8, Sendable { case box, cylinder, sphere }

    var shape: Shape
    var material: Material
    /// Box: minimum corner. Cylinder: (centre x, centre y, bottom z). Sphere: centre.
    var a: Vec3
    /// Box: maximum corner. Cylinder: (radius, unused, top z). Sphere: (radius, unused, unused).
    var b: Vec3
    /// Base colour (linear-ish RGB in 0...1).
    var colour: Vec3
    /// Per-object texture seed (window layout, brick or plaster, variations).
    var variant: UInt32

    static func box(_ low: Vec3, _ high: Vec3, _ material: Material, colour: Vec3, variant: UInt32 = 0) -> Primitive {
        Primitive(shape: .box, material: material, a: low, b: high, colour: colour, variant: variant)
    }

    static func cylinder(x: Float, y: Float, radius: Float, bottom: Float, top: Float, _ material: Material,
                         colour: Vec3, variant: UInt32 = 0) -> Primitive {
        Primitive(shape: .cylinder, material: material, a: Vec3(x, y, bottom), b: Vec3(radius, 0, top),
                  colour: colour, variant: variant)
    }

    static func sphere(_ centre: Vec3, radius: Float, _ material: Material, colour: Vec3, variant: UInt32 = 0) -> Primitive {
        Primitive(shape: .sphere, material: material, a: centre, b: Vec3(radius, 0, 0), colour: colour, variant: variant)
    }

    /// The footprint on the ground plane: (min x, min y, max x, max y).
    var groundBounds: SIMD4<Float> {
        switch shape {
        case .box: return SIMD4(a.x, a.y, b.x, b.y)
        case .cylinder, .sphere: return SIMD4(a.x - b.x, a.y - b.x, a.x + b.x, a.y + b.x)
        }
    }

    /// The lowest point.
    var bottom: Float {
        switch shape {
        case .box, .cylinder: return a.z
        case .sphere: return a.z - b.x
        }
    }

    /// The highest point.
    var top: Float {
        switch shape {
        case .box, .cylinder: return b.z
        case .sphere: return a.z + b.x
        }
    }

    /// The nearest hit distance in (epsilon, limit), or `limit` when there is none.
    @inline(__always)
    func intersect(_ o: Vec3, _ d: Vec3, _ inverse: Vec3, limit: Float) -> Float {
        let epsilon: Float = 1e-4
        switch shape {
        case .box:
            // Slabs, one axis at a time with early exits (scalar min/max: no generic SIMD calls).
            let x0 = (a.x - o.x) * inverse.x, x1 = (b.x - o.x) * inverse.x
            var tNear = Swift.min(x0, x1), tFar = Swift.max(x0, x1)
            let y0 = (a.y - o.y) * inverse.y, y1 = (b.y - o.y) * inverse.y
            tNear = Swift.max(tNear, Swift.min(y0, y1))
            tFar = Swift.min(tFar, Swift.max(y0, y1))
            if tNear > tFar || tNear >= limit { return limit }
            let z0 = (a.z - o.z) * inverse.z, z1 = (b.z - o.z) * inverse.z
            tNear = Swift.max(tNear, Swift.min(z0, z1))
            tFar = Swift.min(tFar, Swift.max(z0, z1))
            return (tNear <= tFar && tNear > epsilon && tNear < limit) ? tNear : limit
        case .cylinder:
            let ox = o.x - a.x, oy = o.y - a.y, r = b.x
            var best = limit
            let qa = d.x * d.x + d.y * d.y
            if qa > 0 {
                let qb = ox * d.x + oy * d.y
                let qc = ox * ox + oy * oy - r * r
                let disc = qb * qb - qa * qc
                if disc >= 0 {
                    let t = (-qb - disc.squareRoot()) / qa
                    if t > epsilon && t < best {
                        let z = o.z + t * d.z
                        if z >= a.z && z <= b.z { best = t }
                    }
                }
            }
            if d.z < 0 && o.z > b.z {  // the top cap, seen from above
                let t = (b.z - o.z) / d.z
                if t > epsilon && t < best {
                    let px = ox + t * d.x, py = oy + t * d.y
                    if px * px + py * py <= r * r { best = t }
                }
            }
            return best
        case .sphere:
            let oc = o - a
            let qa = (d * d).sum(), qb = (oc * d).sum(), qc = (oc * oc).sum() - b.x * b.x
            let disc = qb * qb - qa * qc
            if disc < 0 { return limit }
            let t = (-qb - disc.squareRoot()) / qa
            return (t > epsilon && t < limit) ? t : limit
        }
    }

    /// Whether the ray segment t in (0, limit) meets this box (origin inside counts).
    @inline(__always)
    func boxOverlaps(_ o: Vec3, _ inverse: Vec3, limit: Float) -> Bool {
        let x0 = (a.x - o.x) * inverse.x, x1 = (b.x - o.x) * inverse.x
        let y0 = (a.y - o.y) * inverse.y, y1 = (b.y - o.y) * inverse.y
        let z0 = (a.z - o.z) * inverse.z, z1 = (b.z - o.z) * inverse.z
        let tNear = Swift.max(Swift.max(Swift.min(x0, x1), Swift.min(y0, y1)), Swift.min(z0, z1))
        let tFar = Swift.min(Swift.min(Swift.max(x0, x1), Swift.max(y0, y1)), Swift.max(z0, z1))
        return tNear <= tFar && tFar > 0 && tNear < limit
    }

    /// The outward unit normal at a point `p` on the surface.
    func normal(at p: Vec3) -> Vec3 {
        switch shape {
        case .box:
            let dl = p - a, dh = p - b
            let low = Vec3(abs(dl.x), abs(dl.y), abs(dl.z)), high = Vec3(abs(dh.x), abs(dh.y), abs(dh.z))
            var best = low.x, normal = Vec3(-1, 0, 0)
            if low.y < best { best = low.y; normal = Vec3(0, -1, 0) }
            if low.z < best { best = low.z; normal = Vec3(0, 0, -1) }
            if high.x < best { best = high.x; normal = Vec3(1, 0, 0) }
            if high.y < best { best = high.y; normal = Vec3(0, 1, 0) }
            if high.z < best { normal = Vec3(0, 0, 1) }
            return normal
        case .cylinder:
            let rx = p.x - a.x, ry = p.y - a.y
            if p.z >= b.z - 1e-3 && rx * rx + ry * ry < b.x * b.x * 0.98 { return Vec3(0, 0, 1) }
            let length = (rx * rx + ry * ry).squareRoot()
            return length > 0 ? Vec3(rx / length, ry / length, 0) : Vec3(1, 0, 0)
        case .sphere:
            let v = p - a
            let length = (v * v).sum().squareRoot()
            return length > 0 ? v / length : Vec3(0, 0, 1)
        }
    }
}

/// One thing in the scene: a single primitive, or several parts (a car, a lamp post) that rays
/// test only after meeting their common bounding box.
struct SceneObject: Sendable {
    var parts: [Primitive]

    init(_ part: Primitive) { parts = [part] }
    init(parts: [Primitive]) { self.parts = parts }

    /// The bounding box of the parts (minimum and maximum corners).
    var bounds: (low: Vec3, high: Vec3) {
        var low = Vec3(repeating: .infinity), high = Vec3(repeating: -.infinity)
        for part in parts {
            let g = part.groundBounds
            low = Vec3(Swift.min(low.x, g.x), Swift.min(low.y, g.y), Swift.min(low.z, part.bottom))
            high = Vec3(Swift.max(high.x, g.z), Swift.max(high.y, g.w), Swift.max(high.z, part.top))
        }
        return (low, high)
    }
}
