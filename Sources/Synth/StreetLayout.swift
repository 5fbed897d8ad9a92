/// The static street of one drive, laid out procedurally along x in [start, end]: sidewalks with
/// kerbs, facades at varying set-backs (and a taller row behind), parked cars, lamp posts, trees,
/// bins, bollards and signs. Each kind of object on each side draws from its own random stream,
/// so a longer street (more frames) only extends the same one.
struct StreetLayout {
    var style: StreetStyle
    var objects: [SceneObject] = []

    init(style: StreetStyle, start: Float, end: Float, seed: UInt64) {
        self.style = style
        for (sideIndex, side) in [Float(-1), 1].enumerated() {
            func stream(_ kind: UInt64) -> RandomSource { RandomSource(seed: seed, stream: 16 + kind * 2 + UInt64(sideIndex)) }
            addSidewalk(side: side, start: start, end: end)
            var buildings = stream(0), backRow = stream(1), cars = stream(2), furniture = stream(3)
            addBuildings(side: side, start: start, end: end, random: &buildings)
            addBackRow(side: side, start: start, end: end, random: &backRow)
            addParkedCars(side: side, start: start, end: end, random: &cars)
            addStreetFurniture(side: side, start: start, end: end, random: &furniture)
        }
    }

    /// A box between two y values given in either order.
    static func box(x0: Float, x1: Float, y0: Float, y1: Float, z0: Float, z1: Float, _ material: Material,
                    colour: Vec3, variant: UInt32 = 0) -> Primitive {
        .box(Vec3(x0, min(y0, y1), z0), Vec3(x1, max(y0, y1), z1), material, colour: colour, variant: variant)
    }

    mutating func addSidewalk(side: Float, start: Float, end: Float) {
        // The road-facing side face is the kerb; the top is paved. Split into 40 m pieces so the
        // grid cells stay small.
        var x = start
        while x < end {
            let next = min(x + 40, end)
            objects.append(SceneObject(Self.box(x0: x, x1: next, y0: side * style.roadHalfWidth, y1: side * style.sidewalkOuter(side: side),
                                       z0: 0, z1: style.kerbHeight, .sidewalk, colour: Palette.paving)))
            x = next
        }
    }

    mutating func addBuildings(side: Float, start: Float, end: Float, random: inout RandomSource) {
        let front = style.sidewalkOuter(side: side)
        var x = start
        while x < end {
            if random.chance(0.2) { x += random.float(3, 12) }  // a gap: a yard or an alley
            let length = random.float(8, 26)
            let setback: Float = random.chance(0.5) ? 0 : random.float(1, 7)
            let height = random.float(7, 22)
            let depth = random.float(9, 16)
            let brick = random.chance(0.35)
            let colour = brick ? random.pick(Palette.brick) : random.pick(Palette.plaster)
            // Bit 0 of the variant: brick; the rest seeds the window layout.
            let variant = (random.seed32() & ~1) | (brick ? 1 : 0)
            let face = front + setback
            objects.append(SceneObject(Self.box(x0: x, x1: x + length, y0: side * face, y1: side * (face + depth),
                                       z0: 0, z1: height, .facade, colour: colour, variant: variant)))
            x += length
        }
    }

    mutating func addBackRow(side: Float, start: Float, end: Float, random: inout RandomSource) {
        let front = style.sidewalkOuter(side: side) + 22
        var x = start
        while x < end {
            let length = random.float(20, 45)
            let face = front + random.float(0, 10)
            let colour = random.pick(Palette.plaster) * random.float(0.8, 1.0)
            objects.append(SceneObject(Self.box(x0: x, x1: x + length, y0: side * face, y1: side * (face + 15),
                                       z0: 0, z1: random.float(15, 35), .backFacade, colour: colour,
                                       variant: random.seed32() & ~1)))
            x += length + random.float(0, 4)
        }
    }

    mutating func addParkedCars(side: Float, start: Float, end: Float, random: inout RandomSource) {
        let centre = side * (style.roadHalfWidth - 1.3)
        var x = start
        while x < end {
            let length = random.float(3.8, 4.8)
            if random.chance(0.6) {
                objects.append(SceneObject(parts: Self.car(x: x, y: centre, length: length, random: &random)))
            } else if random.chance(0.15) {
                // A parked van or container: a plain tall box.
                let colour = random.pick(Palette.car)
                let body = Self.box(x0: x, x1: x + length + 1, y0: centre - 1, y1: centre + 1, z0: 0.25,
                                           z1: random.float(1.9, 2.6), .carBody, colour: colour, variant: random.seed32())
                objects.append(SceneObject(parts: [body] + Self.wheels(x0: x, x1: x + length + 1, y: centre, halfWidth: 1)))
            }
            x += length + random.float(1.0, 3.5)
        }
    }

    /// A car: body, cabin with windows, four wheels, axis-aligned along x from `x`.
    static func car(x: Float, y: Float, length: Float, random: inout RandomSource) -> [Primitive] {
        let colour = random.pick(Palette.car)
        let halfWidth = random.float(0.85, 0.95)
        let bodyTop = random.float(0.95, 1.1)
        let cabinStart = x + length * random.float(0.22, 0.32)
        let cabinEnd = x + length * random.float(0.72, 0.82)
        var parts = [
            box(x0: x, x1: x + length, y0: y - halfWidth, y1: y + halfWidth, z0: 0.3, z1: bodyTop, .carBody,
                colour: colour, variant: random.seed32()),
            box(x0: cabinStart, x1: cabinEnd, y0: y - halfWidth + 0.1, y1: y + halfWidth - 0.1, z0: bodyTop,
                z1: bodyTop + random.float(0.45, 0.6), .carCabin, colour: colour, variant: random.seed32()),
        ]
        parts.append(contentsOf: wheels(x0: x, x1: x + length, y: y, halfWidth: halfWidth))
        return parts
    }

    static func wheels(x0: Float, x1: Float, y: Float, halfWidth: Float) -> [Primitive] {
        var parts: [Primitive] = []
        for wx in [x0 + 0.45, x1 - 1.05] {
            for wy in [y - halfWidth + 0.02, y + halfWidth - 0.27] {
                parts.append(box(x0: wx, x1: wx + 0.6, y0: wy, y1: wy + 0.25, z0: 0, z1: 0.6, .tyre, colour: Palette.tyre))
            }
        }
        return parts
    }

    mutating func addStreetFurniture(side: Float, start: Float, end: Float, random: inout RandomSource) {
        let kerbLine = style.roadHalfWidth + 0.5
        let base = style.kerbHeight
        // Separate streams, so the trees do not depend on how many lamps fit.
        var lamps = RandomSource(seed: random.next()), trees = RandomSource(seed: random.next())
        var clutter = RandomSource(seed: random.next())
        // Lamp posts at regular spacing near the kerb.
        var x = start + lamps.float(0, 20)
        while x < end {
            let height = lamps.float(5.5, 7.5)
            objects.append(SceneObject(parts: [
                .cylinder(x: x, y: side * kerbLine, radius: 0.09, bottom: base, top: base + height, .metal,
                                        colour: Palette.metal),
                Self.box(x0: x - 0.08, x1: x + 0.08, y0: side * kerbLine, y1: side * (kerbLine - 1.4),
                                       z0: base + height - 0.12, z1: base + height, .metal, colour: Palette.metal),
                .sphere(Vec3(x, side * (kerbLine - 1.4), base + height - 0.15), radius: 0.22, .lamp,
                                      colour: Palette.lamp),
            ]))
            x += lamps.float(22, 32)
        }
        // Trees along the outer half of the sidewalk.
        let treeLine = style.sidewalkOuter(side: side) - 1.0
        x = start + trees.float(0, 10)
        while x < end {
            if trees.chance(0.7) {
                let trunk = trees.float(2.2, 3.5)
                let crown = trees.float(1.3, 2.4)
                let y = side * (treeLine + trees.float(-0.4, 0.4))
                objects.append(SceneObject(.cylinder(x: x, y: y, radius: trees.float(0.12, 0.2), bottom: base, top: base + trunk + crown,
                                            .bark, colour: Palette.bark * trees.float(0.8, 1.2), variant: trees.seed32())))
                objects.append(SceneObject(.sphere(Vec3(x, y, base + trunk + crown * 0.8), radius: crown, .leaves,
                                          colour: Palette.leaves * trees.float(0.75, 1.25), variant: trees.seed32())))
            }
            x += trees.float(9, 20)
        }
        // Clutter: bins, bollards and signs on the sidewalk.
        x = start + clutter.float(0, 8)
        while x < end {
            let y = side * (style.roadHalfWidth + clutter.float(0.6, 1.6))
            switch clutter.integer(0...2) {
            case 0:
                objects.append(SceneObject(Self.box(x0: x, x1: x + 0.6, y0: y - 0.3, y1: y + 0.3, z0: base, z1: base + clutter.float(0.9, 1.2),
                                           .bin, colour: Palette.bin * clutter.float(0.7, 1.3), variant: clutter.seed32())))
            case 1:
                for k in 0..<3 {
                    objects.append(SceneObject(.cylinder(x: x + Float(k) * 1.5, y: side * (style.roadHalfWidth + 0.35), radius: 0.1,
                                                bottom: base, top: base + 0.9, .metal, colour: Palette.metal * 0.8)))
                }
            default:
                let top = base + clutter.float(2.2, 2.8)
                objects.append(SceneObject(parts: [.cylinder(x: x, y: y, radius: 0.05, bottom: base, top: top, .metal, colour: Palette.metal),
                                                  Self.box(x0: x - 0.04, x1: x + 0.04, y0: y - 0.35, y1: y + 0.35, z0: top - 0.7, z1: top,
                                           .sign, colour: Palette.sign, variant: clutter.seed32())]))
            }
            x += clutter.float(6, 18)
        }
    }
}
