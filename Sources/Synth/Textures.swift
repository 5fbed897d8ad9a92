/// The procedural albedo of every material, a function of the world position (and the pixel
/// footprint, which fades detail the pixel cannot resolve).
enum Textures {
    /// Albedo of a hit. `p` is the hit point, `n` the unit normal, `footprint` the pixel size in metres there.
    static func albedo(_ hit: Hit, _ p: Vec3, _ n: Vec3, footprint f: Float, scene: Scene) -> Vec3 {
        if hit.index == Hit.ground { return ground(p, f, scene.street) }
        let prim = scene.primitives[Int(hit.index)]
        switch prim.material {
        case .facade, .backFacade: return facade(p, n, f, prim)
        case .sidewalk: return sidewalk(p, n, f, scene.street)
        case .carBody: return carBody(p, f, prim)
        case .carCabin: return carCabin(p, n, f, prim)
        case .tyre: return prim.colour * (1 + 0.6 * Noise.fractal(p.x + p.y, p.z, wavelength: 0.2, octaves: 2, footprint: f, seed: 11))
        case .metal, .lamp:
            return prim.colour * (1 + 0.3 * Noise.fractal(p.x + p.y, p.z, wavelength: 0.5, octaves: 3, footprint: f, seed: 12))
        case .bark:
            let u = atan2Approx(p.y - prim.a.y, p.x - prim.a.x) * prim.b.x
            return prim.colour * (1 + 0.9 * Noise.fractal(u * 4, p.z, wavelength: 0.25, octaves: 3, footprint: f, seed: prim.variant))
        case .leaves: return leaves(p, n, f, prim)
        case .bin:
            return prim.colour * (1 + 0.5 * Noise.fractal(p.x + p.y, p.z, wavelength: 0.3, octaves: 3, footprint: f, seed: prim.variant))
                - Vec3(repeating: 0.1 * Noise.pulse(p.z, period: 0.25, duty: 0.03, width: f))
        case .sign:
            let stripe = Noise.band(abs(p.y - (prim.a.y + prim.b.y) * 0.5), 0, 0.18, width: f) * Noise.band(p.z, prim.b.z - 0.5, prim.b.z - 0.2, width: f)
            return mix(prim.colour, Palette.frame, stripe)
        }
    }

    @inline(__always)
    static func mix(_ a: Vec3, _ b: Vec3, _ t: Float) -> Vec3 { a + (b - a) * t }

    /// A cheap, smooth angle-like coordinate (monotonic in the angle, range about -2...2).
    @inline(__always)
    static func atan2Approx(_ y: Float, _ x: Float) -> Float {
        let r = (x * x + y * y).squareRoot() + 1e-6
        return y >= 0 ? 1 - x / r : x / r - 1
    }

    /// Road (asphalt, markings, repairs, zebra crossings) or the grass beyond the sidewalks.
    static func ground(_ p: Vec3, _ f: Float, _ s: StreetStyle) -> Vec3 {
        let ay = abs(p.y)
        if ay > s.roadHalfWidth + 0.01 {
            let g = Noise.fractal(p.x, p.y, wavelength: 2.0, octaves: 5, footprint: f, seed: s.seed &+ 5)
            let dry = Noise.value(p.x * 0.1, p.y * 0.1, s.seed &+ 6)
            return mix(Palette.grass, Vec3(0.45, 0.40, 0.25), dry * 0.6) * (1 + 1.2 * g)
        }
        let grain = Noise.fractal(p.x, p.y, wavelength: 1.6, octaves: 5, footprint: f, seed: s.seed)
        let patches = Noise.value(p.x * 0.15, p.y * 0.3, s.seed &+ 1)
        var colour = Palette.asphalt * (1 + 0.7 * grain) * (0.85 + 0.3 * patches)
        // Darker tyre tracks in the middle of each lane.
        let track = Noise.band(ay, 1.0, 2.2, width: f)
        colour = colour * (1 - 0.08 * track)
        var paint: Float = 0
        // Dashed centre line (3 m on, 6 m off) and solid lane edges.
        paint += Noise.band(p.y, -0.07, 0.07, width: f) * Noise.pulse(p.x, period: 9, duty: 3, width: f)
        paint += Noise.band(ay, s.laneEdge - 0.06, s.laneEdge + 0.06, width: f)
        // Parking bays: short ticks every 5.5 m.
        paint += Noise.band(ay, s.laneEdge, s.roadHalfWidth - 0.3, width: f) * Noise.pulse(p.x, period: 5.5, duty: 0.12, width: f) * 0.8
        // Zebra crossings.
        let crossingX = p.x - s.crossingOffset
        let local = crossingX - (crossingX / s.crossingSpacing).rounded(.down) * s.crossingSpacing
        paint += Noise.band(local, 0, 4, width: f) * Noise.band(ay, 0, s.laneEdge, width: f)
            * Noise.pulse(p.y + 10, period: 1.0, duty: 0.5, width: f)
        paint = min(paint, 1) * (0.85 + 0.15 * patches)
        return mix(colour, Palette.marking * (1 + 0.3 * grain), paint)
    }

    /// Paving tiles on top, a concrete kerb on the side faces.
    static func sidewalk(_ p: Vec3, _ n: Vec3, _ f: Float, _ s: StreetStyle) -> Vec3 {
        if n.z < 0.5 {
            let g = Noise.fractal(p.x, p.z * 3, wavelength: 0.4, octaves: 4, footprint: f, seed: s.seed &+ 7)
            let joint = Noise.pulse(p.x, period: 1.0, duty: 0.015, width: f)
            return Palette.kerb * (1 + 0.6 * g) * (1 - 0.4 * joint)
        }
        let tile: Float = 0.4
        let grout = max(Noise.pulse(p.x, period: tile, duty: 0.02, width: f), Noise.pulse(p.y, period: tile, duty: 0.02, width: f))
        let ix = Int32((p.x / tile).rounded(.down)), iy = Int32((p.y / tile).rounded(.down))
        let shade = (Noise.unit(ix, iy, s.seed &+ 8) - 0.5) * 0.3 * Noise.detail(tile, footprint: f)
        let g = Noise.fractal(p.x, p.y, wavelength: 0.3, octaves: 3, footprint: f, seed: s.seed &+ 9)
        return Palette.paving * (1 + shade + 0.5 * g) * (1 - 0.45 * grout)
    }

    /// Plaster or brick walls with a grid of framed windows, laid out per building.
    static func facade(_ p: Vec3, _ n: Vec3, _ f: Float, _ prim: Primitive) -> Vec3 {
        let v = prim.variant
        // Facade coordinates: u along the wall, w up.
        let u = abs(n.y) > 0.5 ? p.x - prim.a.x : p.y - prim.a.y
        let w = p.z
        if n.z > 0.5 {  // roof
            return prim.colour * 0.6 * (1 + 0.5 * Noise.fractal(p.x, p.y, wavelength: 1, octaves: 3, footprint: f, seed: v))
        }
        // Window layout (computed first: the wall texture is skipped behind the glass).
        let floorHeight = 2.8 + Float(v >> 1 & 7) * 0.1
        let period = 2.2 + Float(v >> 4 & 15) * 0.1
        let windowWidth = period * (0.4 + Float(v >> 8 & 7) * 0.035)
        let windowHeight = floorHeight * (0.42 + Float(v >> 11 & 7) * 0.03)
        let sill = (floorHeight - windowHeight) * 0.55
        let inset: Float = 0.07
        let column = Noise.pulse(u - 0.6, period: period, duty: windowWidth, width: f)
        let level = column > 0 ? Noise.pulse(w - sill, period: floorHeight, duty: windowHeight, width: f) : 0
        let frame = column * level
        var glassCover: Float = 0
        if frame > 0 {
            glassCover = Noise.pulse(u - 0.6 - inset, period: period, duty: windowWidth - 2 * inset, width: f)
                * Noise.pulse(w - sill - inset, period: floorHeight, duty: windowHeight - 2 * inset, width: f)
        }
        var wall = Vec3.zero
        if glassCover >= 1 {
            // Only glass in this pixel.
        } else if v & 1 == 1 {
            let course: Float = 0.075, brickLength: Float = 0.24
            let row = (w / course).rounded(.down)
            let shifted = u + (Int(row) & 1 == 0 ? 0 : brickLength * 0.5)
            let mortar = max(Noise.pulse(w, period: course, duty: 0.012, width: f),
                             Noise.pulse(shifted, period: brickLength, duty: 0.012, width: f))
            let brickIndex = Int32((shifted / brickLength).rounded(.down))
            let tone = (Noise.unit(brickIndex, Int32(row), v) - 0.5) * 0.35 * Noise.detail(course, footprint: f)
            wall = mix(prim.colour * (1 + tone), Vec3(0.75, 0.72, 0.66), mortar * 0.8)
        } else {
            let stain = Noise.fractal(u, w, wavelength: 3, octaves: 6, footprint: f, seed: v)
            wall = prim.colour * (1 + 0.45 * stain)
        }
        var colour = mix(wall, Palette.frame * 0.9, max(frame - glassCover, 0))
        if glassCover > 0 {
            // Each pane has its own tone (curtains, reflections), faded out with distance.
            let pane = Noise.unit(Int32(((u - 0.6) / period).rounded(.down)), Int32(((w - sill) / floorHeight).rounded(.down)), v &+ 3)
            let glass = Palette.glass * (0.7 + 0.9 * pane * Noise.detail(period, footprint: f))
                + Vec3(repeating: 0.08 * Noise.fractal(u, w, wavelength: 0.6, octaves: 2, footprint: f, seed: v &+ 4))
            colour = mix(colour, glass, glassCover)
        }
        // A cornice line under the roof.
        let cornice = Noise.band(w, prim.b.z - 0.5, prim.b.z - 0.3, width: f)
        return mix(colour, prim.colour * 0.6, cornice)
    }

    static func carBody(_ p: Vec3, _ f: Float, _ prim: Primitive) -> Vec3 {
        let grime = Noise.fractal(p.x + p.y, p.z, wavelength: 0.8, octaves: 3, footprint: f, seed: prim.variant)
        // A dark bumper strip at the bottom and light stripes at door seams.
        let bumper = Noise.band(p.z, 0.3, 0.45, width: f)
        let seam = Noise.pulse(p.x - prim.a.x, period: 1.1, duty: 0.03, width: f) * Noise.band(p.z, 0.45, prim.b.z, width: f)
        var colour = prim.colour * (1 + 0.25 * grime)
        colour = mix(colour, Vec3(0.08, 0.08, 0.09), bumper)
        return colour * (1 - 0.4 * seam)
    }

    static func carCabin(_ p: Vec3, _ n: Vec3, _ f: Float, _ prim: Primitive) -> Vec3 {
        if n.z > 0.5 { return prim.colour * (1 + 0.2 * Noise.fractal(p.x, p.y, wavelength: 0.5, octaves: 2, footprint: f, seed: prim.variant)) }
        // Windows with pillars: glass between the pillars and above the belt line.
        let along = abs(n.y) > 0.5 ? p.x - prim.a.x : p.y - prim.a.y
        let span = abs(n.y) > 0.5 ? prim.b.x - prim.a.x : prim.b.y - prim.a.y
        let pillar = max(Noise.band(along, 0, 0.12, width: f), Noise.band(along, span - 0.12, span, width: f),
                         Noise.band(along, span * 0.48, span * 0.52, width: f))
        let belt = Noise.band(p.z, prim.a.z, prim.a.z + 0.08, width: f)
        let glass = Palette.glass * (0.8 + 0.6 * Noise.value(p.x * 0.7 + p.y, p.z * 2, prim.variant))
        return mix(glass, prim.colour, max(pillar, belt))
    }

    static func leaves(_ p: Vec3, _ n: Vec3, _ f: Float, _ prim: Primitive) -> Vec3 {
        // Two planar projections blended by the normal (triplanar without the third).
        let a = Noise.fractal(p.x, p.z, wavelength: 0.8, octaves: 5, footprint: f, seed: prim.variant)
        let b = Noise.fractal(p.y, p.z, wavelength: 0.8, octaves: 5, footprint: f, seed: prim.variant &+ 1)
        let wy = abs(n.y) / (abs(n.x) + abs(n.y) + 1e-6)
        let g = a + (b - a) * wy
        return prim.colour * (1 + 1.6 * g)
    }
}
