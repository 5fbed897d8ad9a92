// Monodepth2's SSIM loss (`layers.py SSIM`) as one fused pass over NCHW planes:
// reflection padding 1, 3×3 means of x, y, x², y², xy, then per pixel
//   SSIM = (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx + σy + C2)),  out = clamp((1 − SSIM)/2, 0, 1)
// with σx = mean(x²) − μx², σxy = mean(xy) − μxμy, C1 = 0.01², C2 = 0.03².
//
// The 3×3 mean is separable: each output row sums three (reflected) input rows into five
// per-row buffers, which are then reflected by one column and summed horizontally. Nothing
// full-size is written besides the output; the backward recomputes the moments from x and y.
//
// Backward: the five moment gradients per pixel are pushed back through the transposed
// reflected box filter, also separably: horizontally per row (`transposedBoxRow`), then vertically
// over a rolling window of three rows. With A the 1-D reflected 3-tap sum (row −1 = row 1),
// (Aᵀg)[i] = g[i−1] + g[i] + g[i+1] (zero outside), plus g[0] at i = 1 and g[n−1] at i = n−2.

public let ssimC1: Float = 0.01 * 0.01
public let ssimC2: Float = 0.03 * 0.03

/// Geometry of an SSIM call: `planes` = N·C planes of height × width (both ≥ 2).
public struct SSIMGeometry: Sendable, Equatable {
    public var planes, height, width: Int
    public init(planes: Int, height: Int, width: Int) {
        self.planes = planes; self.height = height; self.width = width
    }
    /// Rows per work item (items = planes × bands), so small batches still spread over the cores.
    var bandRows: Int { 16 }
    var bands: Int { (height + bandRows - 1) / bandRows }
}

/// out = clamp((1 − SSIM(x, y))/2, 0, 1) per element; x, y, out contiguous (planes, height, width).
public func ssimForward(_ g: SSIMGeometry, x: UnsafePointer<Float>, y: UnsafePointer<Float>,
                        output: UnsafeMutablePointer<Float>) {
    precondition(g.height >= 2 && g.width >= 2, "ssimForward: plane \(g.height)x\(g.width) (reflection padding needs ≥ 2)")
    let xs = SendablePointer(UnsafeMutablePointer(mutating: x)), ys = SendablePointer(UnsafeMutablePointer(mutating: y))
    let outs = SendablePointer(output)
    let bands = g.bands, plane = g.height * g.width
    splitWork(g.planes * bands, picoseconds: g.planes * plane * 2500) { item in
        let p = item / bands, r0 = (item % bands) * g.bandRows, r1 = min(g.height, r0 + g.bandRows)
        let rows = SSIMRows(width: g.width)
        defer { rows.deallocate() }
        let px = UnsafePointer(xs.pointer + p * plane), py = UnsafePointer(ys.pointer + p * plane)
        for r in r0..<r1 {
            rows.moments(row: r, height: g.height, x: px, y: py)
            rows.ssimLoss(into: rows.scratch)
            (outs.pointer + p * plane + r * g.width).update(from: rows.scratch, count: g.width)
        }
    }
}

/// Gradients of `ssimForward` with respect to x and y (each overwritten when non-nil), given the
/// gradient of its output. The clamp passes the gradient where 0 ≤ (1 − SSIM)/2 ≤ 1 (as torch).
public func ssimBackward(_ g: SSIMGeometry, x: UnsafePointer<Float>, y: UnsafePointer<Float>,
                         gradOutput: UnsafePointer<Float>, gradX: UnsafeMutablePointer<Float>?,
                         gradY: UnsafeMutablePointer<Float>?) {
    precondition(g.height >= 2 && g.width >= 2, "ssimBackward: plane \(g.height)x\(g.width) (reflection padding needs ≥ 2)")
    let xs = SendablePointer(UnsafeMutablePointer(mutating: x)), ys = SendablePointer(UnsafeMutablePointer(mutating: y))
    let gos = SendablePointer(UnsafeMutablePointer(mutating: gradOutput))
    let gxs = gradX.map { SendablePointer($0) }, gys = gradY.map { SendablePointer($0) }
    if gxs == nil && gys == nil { return }
    let bands = g.bands, plane = g.height * g.width
    splitWork(g.planes * bands, picoseconds: g.planes * plane * 6000) { item in
        let p = item / bands, r0 = (item % bands) * g.bandRows
        ssimPlaneBackward(rows: r0..<min(g.height, r0 + g.bandRows), height: g.height, width: g.width,
                          x: xs.pointer + p * plane, y: ys.pointer + p * plane, gradOutput: gos.pointer + p * plane,
                          gradOutputScale: 1, l1Weight: 0,
                          gradX: gxs.map { $0.pointer + p * plane }, gradY: gys.map { $0.pointer + p * plane })
    }
}

/// Rows `band` of the x/y gradients of one plane: SSIM's (its output gradient is
/// gradOutputScale · gradOutput) plus, when l1Weight ≠ 0, that of l1Weight · |y − x| with the same
/// output gradient (torch's abs backward: sign(0) = 0). gradX/gradY rows are overwritten.
func ssimPlaneBackward(rows band: Range<Int>, height: Int, width: Int, x: UnsafeMutablePointer<Float>,
                       y: UnsafeMutablePointer<Float>, gradOutput go: UnsafeMutablePointer<Float>,
                       gradOutputScale: Float, l1Weight: Float,
                       gradX: UnsafeMutablePointer<Float>?, gradY: UnsafeMutablePointer<Float>?) {
    let (r0, r1) = (band.lowerBound, band.upperBound)
    let rows = SSIMRows(width: width)
    defer { rows.deallocate() }
    let px = UnsafePointer(x), py = UnsafePointer(y)
    let window = SSIMGradientWindow(stride: rows.stride)
    defer { window.deallocate() }
    // h(q): the five moment gradients of row q after the horizontal transposed box.
    func emit(_ i: Int) {
        window.verticalSum(row: i, height: height, width: width)
        inputGradients(x: px + i * width, y: py + i * width, g: window.sum, stride: rows.stride, width: width,
                       gradX: gradX.map { $0 + i * width }, gradY: gradY.map { $0 + i * width })
        if l1Weight != 0 {
            l1Gradients(x: px + i * width, y: py + i * width, gradOutput: go + i * width, weight: l1Weight, width: width,
                        gradX: gradX.map { $0 + i * width }, gradY: gradY.map { $0 + i * width })
        }
    }
    for q in max(r0 - 1, 0)...min(r1, height - 1) {
        rows.moments(row: q, height: height, x: px, y: py)
        rows.momentGradients(gradOutput: go + q * width, scale: gradOutputScale, width: width)
        for k in 0..<5 {
            transposedBoxRow(rows.gradient(k), into: window.row(q, k), width: width)
        }
        if q - 1 >= r0 { emit(q - 1) }
    }
    if r1 == height { emit(height - 1) }
}

/// gradX −= w·sign(y − x)·g and gradY += w·sign(y − x)·g over one row (sign(0) = 0). Explicit
/// full-width blends: left to LLVM the sign select became masked loads/stores (microcoded on AMD).
@inline(__always)
func l1Gradients(x: UnsafePointer<Float>, y: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>, weight: Float,
                 width: Int, gradX: UnsafeMutablePointer<Float>?, gradY: UnsafeMutablePointer<Float>?) {
    var j = 0
    let zero = SIMD8<Float>(repeating: 0), one = SIMD8<Float>(repeating: 1), minusOne = SIMD8<Float>(repeating: -1)
    while j + 8 <= width {
        let d = load8(y + j) - load8(x + j)
        let sign = zero.replacing(with: one, where: d .> 0).replacing(with: minusOne, where: d .< 0)
        let v = weight * load8(gradOutput + j) * sign
        if let gradX { store8(gradX + j, load8(gradX + j) - v) }
        if let gradY { store8(gradY + j, load8(gradY + j) + v) }
        j += 8
    }
    while j < width {
        let d = y[j] - x[j]
        let v = weight * gradOutput[j] * (d > 0 ? 1 : (d < 0 ? -1 : 0))
        if let gradX { gradX[j] -= v }
        if let gradY { gradY[j] += v }
        j += 1
    }
}

// MARK: - Per-row work buffers

/// Five moment rows and their gradients for one image row, padded for 8-wide SIMD.
/// Layout of each buffer: index 0 is column −1, index 1 + j is column j (`stride` ≥ width + 10).
struct SSIMRows {
    let width: Int
    let stride: Int
    let base: UnsafeMutablePointer<Float>
    static let buffers = 16   // 5 vertical sums, 5 moments, 5 gradients, 1 scratch

    init(width: Int) {
        self.width = width
        stride = (width + 8 + 7) / 8 * 8 + 8
        base = .allocate(capacity: stride * SSIMRows.buffers)
        base.initialize(repeating: 0, count: stride * SSIMRows.buffers)
    }

    func deallocate() { base.deallocate() }

    /// Vertical sums (index 0 = column −1).
    @inline(__always) func vertical(_ k: Int) -> UnsafeMutablePointer<Float> { base + k * stride }
    /// Moments μx, μy, E[x²], E[y²], E[xy] (index j = column j).
    @inline(__always) func moment(_ k: Int) -> UnsafeMutablePointer<Float> { base + (5 + k) * stride }
    /// Moment gradients (index 0 = column −1 = 0, index 1 + j = column j; zero past the row).
    @inline(__always) func gradient(_ k: Int) -> UnsafeMutablePointer<Float> { base + (10 + k) * stride }
    var scratch: UnsafeMutablePointer<Float> { base + 15 * stride }
    /// Columns computed by the 8-wide loops (a multiple of 8, ≥ width).
    var paddedWidth: Int { (width + 7) / 8 * 8 }

    /// The five 3×3 reflected means of row r.
    @inline(__always)
    func moments(row r: Int, height: Int, x: UnsafePointer<Float>, y: UnsafePointer<Float>) {
        let ra = reflect(r - 1, height), rc = reflect(r + 1, height)
        let xa = x + ra * width, xb = x + r * width, xc = x + rc * width
        let ya = y + ra * width, yb = y + r * width, yc = y + rc * width
        let vx = vertical(0) + 1, vy = vertical(1) + 1, vxx = vertical(2) + 1, vyy = vertical(3) + 1, vxy = vertical(4) + 1
        var j = 0
        while j + 8 <= width {
            let a = load8(xa + j), b = load8(xb + j), c = load8(xc + j)
            let d = load8(ya + j), e = load8(yb + j), f = load8(yc + j)
            store8(vx + j, a + b + c)
            store8(vy + j, d + e + f)
            store8(vxx + j, a * a + b * b + c * c)
            store8(vyy + j, d * d + e * e + f * f)
            store8(vxy + j, a * d + b * e + c * f)
            j += 8
        }
        while j < width {
            let a = xa[j], b = xb[j], c = xc[j], d = ya[j], e = yb[j], f = yc[j]
            vx[j] = a + b + c; vy[j] = d + e + f
            vxx[j] = a * a + b * b + c * c; vyy[j] = d * d + e * e + f * f; vxy[j] = a * d + b * e + c * f
            j += 1
        }
        for k in 0..<5 {
            let v = vertical(k)
            v[0] = v[2]                  // column −1 reflects to column 1
            v[width + 1] = v[width - 1]  // column width reflects to width − 2
            let m = moment(k)
            var j = 0
            while j < paddedWidth {
                store8(m + j, (load8(v + j) + load8(v + j + 1) + load8(v + j + 2)) / 9)
                j += 8
            }
        }
    }

    /// out[j] = clamp((1 − SSIM)/2, 0, 1) from the current moments (paddedWidth values).
    @inline(__always)
    func ssimLoss(into out: UnsafeMutablePointer<Float>) {
        var j = 0
        while j < paddedWidth {
            let t = SSIMTerms(self, j)
            let v = (1 - t.numerator / t.denominator) / 2
            store8(out + j, v.clamped01())
            j += 8
        }
    }

    /// The five moment gradients for the output gradient `scale · gradOutput` (width values; pre-divided by 9, the mean),
    /// into `gradient(k)` at index 1 + j; columns past the row are zero.
    @inline(__always)
    func momentGradients(gradOutput: UnsafePointer<Float>, scale: Float, width: Int) {
        let go = scratch
        go.update(from: gradOutput, count: width)
        if scale != 1 { for j in 0..<width { go[j] *= scale } }
        (go + width).update(repeating: 0, count: paddedWidth - width)
        let gmx = gradient(0) + 1, gmy = gradient(1) + 1, gxx = gradient(2) + 1, gyy = gradient(3) + 1, gxy = gradient(4) + 1
        var j = 0
        while j < paddedWidth {
            let t = SSIMTerms(self, j)
            let ssim = t.numerator / t.denominator
            let v = (1 - ssim) / 2
            // clamp passes the gradient where 0 ≤ v ≤ 1; d out/d SSIM = −1/2; 1/9 of the mean.
            let inside = (v .>= 0) .& (v .<= 1)
            let s = SIMD8<Float>(repeating: 0).replacing(with: load8(go + j) * (-1.0 / 18.0), where: inside)
            let invD = 1 / t.denominator
            let twoMx = 2 * t.mx, twoMy = 2 * t.my
            let dA = (t.a2 - t.a1) * invD                       // ∂SSIM/∂A1·… collected: (A2 − A1)/d
            let dB = ssim * (1 / t.b2 - 1 / t.b1)               // SSIM (1/B2 − 1/B1)
            store8(gmx + j, s * (twoMy * dA + twoMx * dB))
            store8(gmy + j, s * (twoMx * dA + twoMy * dB))
            let gVar = s * (-ssim / t.b2)
            store8(gxx + j, gVar)
            store8(gyy + j, gVar)
            store8(gxy + j, s * (2 * t.a1 * invD))
            j += 8
        }
        for k in 0..<5 { (gradient(k) + 1 + width).update(repeating: 0, count: stride - 1 - width) }
    }
}

/// The SSIM factors at columns j..<j+8 of the current moments.
struct SSIMTerms {
    let mx, my, a1, a2, b1, b2: SIMD8<Float>
    @inline(__always)
    init(_ rows: SSIMRows, _ j: Int) {
        mx = load8(rows.moment(0) + j); my = load8(rows.moment(1) + j)
        let exx = load8(rows.moment(2) + j), eyy = load8(rows.moment(3) + j), exy = load8(rows.moment(4) + j)
        let sx = exx - mx * mx, sy = eyy - my * my, sxy = exy - mx * my
        a1 = 2 * mx * my + ssimC1
        a2 = 2 * sxy + ssimC2
        b1 = mx * mx + my * my + ssimC1
        b2 = sx + sy + ssimC2
    }
    var numerator: SIMD8<Float> { a1 * a2 }
    var denominator: SIMD8<Float> { b1 * b2 }
}

/// out[i] = (Aᵀg)[i] for i in 0..<width, where g[j] is at `g[1 + j]` (g[0] and g past the row are 0).
@inline(__always)
func transposedBoxRow(_ g: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>, width: Int) {
    var i = 0
    let padded = (width + 7) / 8 * 8
    while i < padded {
        store8(out + i, load8(g + i) + load8(g + i + 1) + load8(g + i + 2))
        i += 8
    }
    out[1] += g[1]                  // column −1 read column 1: its gradient comes back from column 0
    out[width - 2] += g[width]      // column width read width − 2
}

/// Three rows (ring) of the horizontally transposed moment gradients and their vertical sum.
struct SSIMGradientWindow {
    let stride: Int
    let base: UnsafeMutablePointer<Float>

    init(stride: Int) {
        self.stride = stride
        base = .allocate(capacity: stride * 20)
        base.initialize(repeating: 0, count: stride * 20)
    }

    func deallocate() { base.deallocate() }

    /// Row q's buffer for moment k.
    @inline(__always) func row(_ q: Int, _ k: Int) -> UnsafeMutablePointer<Float> { base + ((q % 3) * 5 + k) * stride }
    /// The vertical sum for moment k (written by `verticalSum`).
    var sum: UnsafeMutablePointer<Float> { base + 15 * stride }

    /// sum(k) = (Aᵀ h)[i] over rows: h[i−1] + h[i] + h[i+1] (rows that exist), plus h[0] at i = 1
    /// and h[height−1] at i = height − 2.
    @inline(__always)
    func verticalSum(row i: Int, height: Int, width: Int) {
        let padded = (width + 7) / 8 * 8
        for k in 0..<5 {
            let out = sum + k * stride
            let mid = row(i, k)
            let up: UnsafeMutablePointer<Float>? = i >= 1 ? row(i - 1, k) : nil
            let down: UnsafeMutablePointer<Float>? = i + 1 < height ? row(i + 1, k) : nil
            let extra: UnsafeMutablePointer<Float>? = i == 1 ? row(0, k) : nil
            let extra2: UnsafeMutablePointer<Float>? = i == height - 2 ? row(height - 1, k) : nil
            var j = 0
            while j < padded {
                var v = load8(mid + j)
                if let up { v += load8(up + j) }
                if let down { v += load8(down + j) }
                if let extra { v += load8(extra + j) }
                if let extra2 { v += load8(extra2 + j) }
                store8(out + j, v)
                j += 8
            }
        }
    }
}

/// dx = Gμx + 2x·G_xx + y·G_xy, dy = Gμy + 2y·G_yy + x·G_xy for one row (`g` holds the five
/// summed gradients at stride `stride`).
@inline(__always)
func inputGradients(x: UnsafePointer<Float>, y: UnsafePointer<Float>, g: UnsafeMutablePointer<Float>, stride: Int,
                    width: Int, gradX: UnsafeMutablePointer<Float>?, gradY: UnsafeMutablePointer<Float>?) {
    let gmx = g, gmy = g + stride, gxx = g + 2 * stride, gyy = g + 3 * stride, gxy = g + 4 * stride
    var j = 0
    while j + 8 <= width {
        let xv = load8(x + j), yv = load8(y + j), cross = load8(gxy + j)
        if let gradX { store8(gradX + j, load8(gmx + j) + 2 * xv * load8(gxx + j) + yv * cross) }
        if let gradY { store8(gradY + j, load8(gmy + j) + 2 * yv * load8(gyy + j) + xv * cross) }
        j += 8
    }
    while j < width {
        if let gradX { gradX[j] = gmx[j] + 2 * x[j] * gxx[j] + y[j] * gxy[j] }
        if let gradY { gradY[j] = gmy[j] + 2 * y[j] * gyy[j] + x[j] * gxy[j] }
        j += 1
    }
}

@inline(__always) private func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}
@inline(__always) private func load8(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}
@inline(__always) private func store8(_ p: UnsafeMutablePointer<Float>, _ v: SIMD8<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

extension SIMD8<Float> {
    /// min(max(v, 0), 1) with NaN kept (as torch.clamp).
    @inline(__always) func clamped01() -> SIMD8<Float> {
        let lo = replacing(with: 0, where: self .< 0)
        return lo.replacing(with: 1, where: lo .> 1)
    }
}
