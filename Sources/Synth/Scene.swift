/// The nearest surface along a ray.
struct Hit: Sendable {
    /// Distance in units of the ray direction's length (z-depth for camera rays with unit z).
    var t: Float
    /// Index of the primitive, `Hit.ground` for the ground plane, `Hit.sky` for nothing.
    var index: Int32

    static let sky: Int32 = -1
    static let ground: Int32 = -2
}

/// A frozen scene: the ground plane z = 0, the primitives, and a uniform 2-D grid over the
/// ground (x along the street, y across) listing the primitives over each cell. Rays walk the
/// grid cells in order (2-D DDA) and stop at the first cell that contains their nearest hit.
/// Immutable after init, so rows are rendered concurrently without locks.
final class Scene: @unchecked Sendable {
    let primitives: UnsafeMutableBufferPointer<Primitive>
    let street: StreetStyle
    private let cellStart: UnsafeMutableBufferPointer<Int32>
    private let cellItems: UnsafeMutableBufferPointer<Int32>
    private let originX, originY, cellSize: Float
    private let columns, rows: Int
    /// Above this height a ray has nothing left to hit.
    private let ceiling: Float
    /// Rays longer than this see sky (and the ground at the horizon counts as sky).
    let farLimit: Float = 3000

    init(primitives list: [Primitive], street: StreetStyle, cellSize: Float = 4) {
        self.street = street
        self.cellSize = cellSize
        var low = SIMD2<Float>(0, 0), high = SIMD2<Float>(1, 1), ceiling: Float = 1
        for (index, p) in list.enumerated() {
            let bounds = p.groundBounds
            if index == 0 {
                low = SIMD2(bounds.x, bounds.y)
                high = SIMD2(bounds.z, bounds.w)
            } else {
                low = pointwiseMin(low, SIMD2(bounds.x, bounds.y))
                high = pointwiseMax(high, SIMD2(bounds.z, bounds.w))
            }
            ceiling = max(ceiling, p.top)
        }
        self.ceiling = ceiling + 0.01
        let originX = low.x - cellSize, originY = low.y - cellSize
        let columns = Int(((high.x - originX) / cellSize).rounded(.up)) + 1
        let rows = Int(((high.y - originY) / cellSize).rounded(.up)) + 1
        (self.originX, self.originY, self.columns, self.rows) = (originX, originY, columns, rows)
        primitives = .allocate(capacity: max(list.count, 1))
        _ = primitives.initialize(from: list)

        // Two passes: count the primitives over each cell, then fill the lists.
        var counts = [Int32](repeating: 0, count: columns * rows + 1)
        func cells(_ p: Primitive) -> (ClosedRange<Int>, ClosedRange<Int>) {
            let b = p.groundBounds
            let x0 = Int(((b.x - originX) / cellSize).rounded(.down)), x1 = Int(((b.z - originX) / cellSize).rounded(.down))
            let y0 = Int(((b.y - originY) / cellSize).rounded(.down)), y1 = Int(((b.w - originY) / cellSize).rounded(.down))
            return (max(0, x0)...min(columns - 1, max(x0, x1)), max(0, y0)...min(rows - 1, max(y0, y1)))
        }
        for p in list {
            let (xs, ys) = cells(p)
            for y in ys { for x in xs { counts[y * columns + x + 1] += 1 } }
        }
        for i in 1..<counts.count { counts[i] += counts[i - 1] }
        cellStart = .allocate(capacity: counts.count)
        _ = cellStart.initialize(from: counts)
        let items = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(Int(counts[counts.count - 1]), 1))
        var fill = counts
        for (index, p) in list.enumerated() {
            let (xs, ys) = cells(p)
            for y in ys {
                for x in xs {
                    items[Int(fill[y * columns + x])] = Int32(index)
                    fill[y * columns + x] += 1
                }
            }
        }
        cellItems = items
    }

    deinit {
        primitives.deallocate()
        cellStart.deallocate()
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
        while true {
            let cell = cy * columns + cx
            var item = Int(cellStart[cell])
            let end = Int(cellStart[cell + 1])
            while item < end {
                let candidate = cellItems[item]
                let t = prims[Int(candidate)].intersect(o, d, inverse, limit: best)
                if t < best { best = t; index = candidate }
                item += 1
            }
            let exit = min(nextX, nextY)
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
        if index == Hit.ground && best >= farLimit { index = Hit.sky }
        return Hit(t: best, index: index)
    }
}
