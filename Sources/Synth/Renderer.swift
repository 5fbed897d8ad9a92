import ImageIO
import Kernels

/// A rendered camera: the 8-bit RGB image and the true z-depth per pixel (metres, 0 for sky).
struct RenderedView: Sendable {
    var image: Image
    var depth: [Float]
}

/// Ray casting of camera views, multithreaded by rows. Every pixel is one ray through its centre
/// (which gives the depth); pixels on an object boundary (the primitive differs from a
/// neighbour's) get the mean colour of four rays inside the pixel instead, a cheap edge
/// anti-aliasing. Textures are pre-filtered by the pixel footprint, so no other supersampling is
/// needed. Each row is a pure function of the scene, so the bytes do not depend on the threads.
enum Renderer {
    static func render(_ views: [CameraView], scene: Scene) -> [RenderedView] {
        let buffers = views.map { FrameBuffers(width: $0.width, height: $0.height) }
        let rows = views.map(\.height)
        let totalRows = rows.reduce(0, +)
        func locate(_ job: Int) -> (view: Int, row: Int) {
            var row = job, view = 0
            while row >= rows[view] { row -= rows[view]; view += 1 }
            return (view, row)
        }
        Parallel.forEach(totalRows) { job in
            let (v, row) = locate(job)
            primaryRow(views[v], row: row, scene: scene, buffers[v])
        }
        Parallel.forEach(totalRows) { job in
            let (v, row) = locate(job)
            antialiasRow(views[v], row: row, scene: scene, buffers[v])
        }
        return buffers.map { $0.result() }
    }

    /// The colour of the ray through (column, row) and what it hit.
    @inline(__always)
    static func sample(_ view: CameraView, column: Float, row: Float, scene: Scene) -> (Vec3, Hit) {
        let d = view.direction(column: column, row: row)
        let hit = scene.trace(view.origin, d, limit: .infinity)
        if hit.index == Hit.sky { return (Lighting.sky(d, seed: scene.street.seed), hit) }
        let p = view.origin + d * hit.t
        let n = hit.index == Hit.ground ? Vec3(0, 0, 1) : scene.primitives[Int(hit.index)].normal(at: p)
        // Pixel footprint: z / f across the ray, stretched on surfaces seen at a grazing angle.
        let length = (d * d).sum().squareRoot()
        let cosine = max(abs((d * n).sum()) / length, 0.05)
        let footprint = hit.t / (view.fx * cosine)
        let albedo = Textures.albedo(hit, p, n, footprint: footprint, scene: scene)
        return (Lighting.shade(albedo: albedo, normal: n, street: scene.street), hit)
    }

    static func primaryRow(_ view: CameraView, row: Int, scene: Scene, _ out: FrameBuffers) {
        let width = view.width
        let base = row * width
        for column in 0..<width {
            let (colour, hit) = sample(view, column: Float(column), row: Float(row), scene: scene)
            out.ids[base + column] = hit.index
            out.depth[base + column] = hit.index == Hit.sky ? 0 : hit.t
            store(colour, out.pixels, base + column)
        }
    }

    static func antialiasRow(_ view: CameraView, row: Int, scene: Scene, _ out: FrameBuffers) {
        let width = view.width, height = view.height
        let base = row * width
        let ids = out.ids
        for column in 0..<width {
            let id = ids[base + column]
            let edge = (column > 0 && ids[base + column - 1] != id) || (column + 1 < width && ids[base + column + 1] != id)
                || (row > 0 && ids[base + column - width] != id) || (row + 1 < height && ids[base + column + width] != id)
            if !edge { continue }
            // The centre sample (as stored) and three more around it.
            let p = out.pixels + (base + column) * 3
            var sum = Vec3(Float(p[0]), Float(p[1]), Float(p[2])) * (1 / 255)
            for (dx, dy) in Self.subpixelOffsets {
                sum += sample(view, column: Float(column) + dx, row: Float(row) + dy, scene: scene).0
            }
            store(sum * 0.25, out.pixels, base + column)
        }
    }

    /// Sub-pixel positions of the extra edge samples (a triangle around the centre).
    static let subpixelOffsets: [(Float, Float)] = [(0, -0.36), (-0.31, 0.18), (0.31, 0.18)]

    @inline(__always)
    static func store(_ colour: Vec3, _ pixels: UnsafeMutablePointer<UInt8>, _ index: Int) {
        pixels[index * 3] = UInt8(Swift.min(Swift.max(colour.x, 0), 1) * 255 + 0.5)
        pixels[index * 3 + 1] = UInt8(Swift.min(Swift.max(colour.y, 0), 1) * 255 + 0.5)
        pixels[index * 3 + 2] = UInt8(Swift.min(Swift.max(colour.z, 0), 1) * 255 + 0.5)
    }
}

/// The per-view output buffers rows are written into (each row touches only its own pixels).
final class FrameBuffers: @unchecked Sendable {
    let width, height: Int
    let pixels: UnsafeMutablePointer<UInt8>
    let depth: UnsafeMutablePointer<Float>
    let ids: UnsafeMutablePointer<Int32>

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        pixels = .allocate(capacity: width * height * 3)
        depth = .allocate(capacity: width * height)
        ids = .allocate(capacity: width * height)
    }

    deinit {
        pixels.deallocate()
        depth.deallocate()
        ids.deallocate()
    }

    func result() -> RenderedView {
        let count = width * height
        let image = Image(width: width, height: height, channels: 3,
                          pixels: Array(UnsafeBufferPointer(start: pixels, count: count * 3)))
        return RenderedView(image: image, depth: Array(UnsafeBufferPointer(start: depth, count: count)))
    }
}
