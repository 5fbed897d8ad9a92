/// The nearest surface along a ray.
struct Hit: Sendable {
    /// Distance in units of the ray direction's length (z-depth for camera rays with unit z).
    var t: Float
    /// Index of the primitive, `Hit.ground` for the ground plane, `Hit.sky` for nothing.
    var index: Int32

    static let sky: Int32 = -1
    static let ground: Int32 = -2
}

/// A frozen scene: the ground plane z = 0, the objects' primitives, and a uniform 2-D grid over
/// the ground (x along the street, y across) listing the objects over each cell. Rays walk the
/// grid cells in order (2-D DDA) and stop at the first cell that contains their nearest hit;
/// objects of several parts are entered only through their bounding box.
/// Immutable after init, so rows are rendered concurrently without locks.
final class Scene: @unchecked Sendable {
    let primitives: UnsafeMutableBufferPointer<Primitive>
    let street: StreetStyle
    /// Per object: its first primitive and part count; its bounding box (used for 3+ parts).
    private let objectFirst: UnsafeMutableBufferPointer<Int32>
    private let objectCount: UnsafeMutableBufferPointer<Int32>
    private let objectBox: UnsafeMutableBufferPointer<Primitive>
    private let cellStart: UnsafeMutableBufferPointer<Int32>
    /// The highest point of anything over each cell: rays passing above it skip the cell's list.
    private let cellTop: UnsafeMutableBufferPointer<Float>
    private let cellItems: UnsafeMutableBufferPointer<Int32>
    private let originX, originY, cellSize: Float
    private let columns, rows: Int
    /// Above this height a ray has nothing left to hit.
    private let ceiling: Float
    /// Rays longer than this see sky (and the ground at the horizon counts as sky).
    let farLimit: Float = 3000
    /// Objects with at least this many parts are tested through their bounding box first.
    static let groupParts = 3

    init(objects: [SceneObject], street: StreetStyle, cellSize: Float = 4) {
        self.street = street
        self.cellSize = cellSize
        let boxes = objects.map { object -> Primitive in
            let (low, high) = object.bounds
            return .box(low, high, .metal, colour: .zero)
        }
        var low = SIMD2<Float>(0, 0), high = SIMD2<Float>(1, 1), ceiling: Float = 1
        for (index, box) in boxes.enumerated() {
            if index == 0 {
                low = SIMD2(box.a.x, box.a.y)
                high = SIMD2(box.b.x, box.b.y)
            } else {
                low = SIMD2(min(low.x, box.a.x), min(low.y, box.a.y))
                high = SIMD2(max(high.x, box.b.x), max(high.y, box.b.y))
            }
            ceiling = max(ceiling, box.b.z)
        }
        self.ceiling = ceiling + 0.01
        // Cell edges on multiples of the cell size.
        let originX = (low.x / cellSize).rounded(.down) * cellSize - cellSize
        let originY = (low.y / cellSize).rounded(.down) * cellSize - cellSize
        let columns = Int(((high.x - originX) / cellSize).rounded(.up)) + 1
        let rows = Int(((high.y - originY) / cellSize).rounded(.up)) + 1
        (self.originX, self.originY, self.columns, self.rows) = (originX, originY, columns, rows)

        let parts = objects.flatMap(\.parts)
        primitives = .allocate(capacity: max(parts.count, 1))
        _ = primitives.initialize(from: parts)
        objectFirst = .allocate(capacity: max(objects.count, 1))
        objectCount = .allocate(capacity: max(objects.count, 1))
        objectBox = .allocate(capacity: max(objects.count, 1))
        _ = objectBox.initialize(from: boxes)
        var first: Int32 = 0
        for (index, object) in objects.enumerated() {
            objectFirst[index] = first
            objectCount[index] = Int32(object.parts.count)
            first += Int32(object.parts.count)
        }

        // Two passes: count the objects over each cell, then fill the lists.
        var counts = [Int32](repeating: 0, count: columns * rows + 1)
        func cells(_ box: Primitive) -> (ClosedRange<Int>, ClosedRange<Int>) {
            let x0 = Int(((box.a.x - originX) / cellSize).rounded(.down)), x1 = Int(((box.b.x - originX) / cellSize).rounded(.down))
            let y0 = Int(((box.a.y - originY) / cellSize).rounded(.down)), y1 = Int(((box.b.y - originY) / cellSize).rounded(.down))
            return (max(0, x0)...min(columns - 1, max(x0, x1)), max(0, y0)...min(rows - 1, max(y0, y1)))
        }
        for box in boxes {
            let (xs, ys) = cells(box)
            for y in ys { for x in xs { counts[y * columns + x + 1] += 1 } }
        }
        for i in 1..<counts.count { counts[i] += counts[i - 1] }
        cellStart = .allocate(capacity: counts.count)
        _ = cellStart.initialize(from: counts)
        let items = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(Int(counts[counts.count - 1]), 1))
        var fill = counts
        for (index, box) in boxes.enumerated() {
            let (xs, ys) = cells(box)
            for y in ys {
                for x in xs {
                    items[Int(fill[y * columns + x])] = Int32(index)
                    fill[y * columns + x] += 1
                }
            }
        }
        cellItems = items
        cellTop = .allocate(capacity: columns * rows)
        cellTop.initialize(repeating: -.infinity)
        for box in boxes {
            let (xs, ys) = cells(box)
            for y in ys { for x in xs { cellTop[y * columns + x] = max(cellTop[y * columns + x], box.b.z) } }
        }
    }

    deinit {
        primitives.deallocate()
        objectFirst.deallocate()
        objectCount.deallocate()
        objectBox.deallocate()
        cellStart.deallocate()
        cellTop.deallocate()
        cellItems.deallocate()
    }

    /// The nearest surface along `o + t·d` for t in (0, limit).
    @inline(__always)
    func trace(_ o: Vec3, _ d: Vec3, limit: Float) -> Hit {
        var best = min(limit, farLimit)
        var index = Hit.sky
        // The ground plane bounds everything behind it.
        if d.z < 0 {
            let t = -o.z / d.z
            if t > 0 && t < best { best = t; index = Hit.ground }
        }
        var reach = best
        if d.z > 0 { reach = min(reach, (ceiling - o.z) / d.z) }
        if reach <= 0 { return Hit(t: best, index: index) }

        let inverse = Vec3(1, 1, 1) / d
        var cx = Int(((o.x - originX) / cellSize).rounded(.down))
        var cy = Int(((o.y - originY) / cellSize).rounded(.down))
        if cx < 0 || cy < 0 || cx >= columns || cy >= rows { return Hit(t: best, index: index) }
        let stepX = d.x > 0 ? 1 : -1, stepY = d.y > 0 ? 1 : -1
        let infinity = Float.infinity
        var nextX = d.x != 0 ? (originX + Float(cx + (d.x > 0 ? 1 : 0)) * cellSize - o.x) / d.x : infinity
        var nextY = d.y != 0 ? (originY + Float(cy + (d.y > 0 ? 1 : 0)) * cellSize - o.y) / d.y : infinity
        let deltaX = d.x != 0 ? cellSize / abs(d.x) : infinity
        let deltaY = d.y != 0 ? cellSize / abs(d.y) : infinity
        let prims = primitives.baseAddress!
        // The two objects tested last: long objects span many cells and need testing once.
        var recent = (-1, -1)
        var entry: Float = 0
        while true {
            let cell = cy * columns + cx
            let exit = min(nextX, nextY)
            // Lowest height of the ray inside the cell.
            let low = o.z + d.z * (d.z > 0 ? entry : min(exit, reach))
            if low <= cellTop[cell] {
                var item = Int(cellStart[cell])
                let end = Int(cellStart[cell + 1])
                while item < end {
                    let object = Int(cellItems[item])
                    item += 1
                    if object == recent.0 || object == recent.1 { continue }
                    recent = (object, recent.0)
                    let first = Int(objectFirst[object]), count = Int(objectCount[object])
                    if count >= Self.groupParts && !objectBox[object].boxOverlaps(o, inverse, limit: best) { continue }
                    for part in first..<(first + count) {
                        let t = prims[part].intersect(o, d, inverse, limit: best)
                        if t < best { best = t; index = Int32(part) }
                    }
                }
            }
            entry = exit
            if best <= exit || exit >= reach { break }
            if nextX < nextY {
                cx += stepX
                if cx < 0 || cx >= columns { break }
                nextX += deltaX
            } else {
                cy += stepY
                if cy < 0 || cy >= rows { break }
                nextY += deltaY
            }
        }
        return Hit(t: best, index: index)
    }
}
