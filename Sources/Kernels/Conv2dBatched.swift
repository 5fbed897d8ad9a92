/// Convolutions of small images as one GEMM over the whole batch, with an explicit column matrix.
///
/// Per image, ResNet's layer4 at 64×192 has 2×6 = 12 output pixels: a per-image GEMM gets 12
/// columns (a quarter of each 16-wide panel is padding) and streams the whole weight matrix
/// (512 × 4608 floats, 9 MB) once per image, so it runs at a fraction of the GEMM rate (measured on
/// a Zen 1: 6.6 GFLOP/s for the weight gradient, 20 for the forward). Here the column matrix of all
/// images, col (taps × batch·pixels), is built once and each GEMM streams the weights once:
///   forward:          C (Cout × batch·pixels) = W (Cout × taps) · col, then C is permuted to NCHW;
///   weight gradient:  dW (Cout × taps) = dY (Cout × batch·pixels) · colᵀ.
/// The input gradient is a forward convolution (Conv2d.swift, Conv2dInputGradient.swift), so it
/// takes this path too when its geometry qualifies.
enum Conv2dBatched {
    /// Output pixels per image up to which one batched GEMM beats per-image GEMMs.
    /// Measured on a Zen 1 with ResNet-18's layers, interleaved runs: at 12 and 48 pixels (64×192
    /// layer4/layer3, batch 12) and 120 (640×192 layer4, batch 4) batching is up to 3.6× faster for
    /// the weight gradient and 1.2× for the forward; at 192 and 480 the per-image paths are 5-30% faster.
    static let maxPixels = 128
    /// The column matrix and the permuted product together stay below this many floats (24 MB).
    static let maxScratchFloats = 6 << 20

    static func applies(_ g: Conv2dGeometry) -> Bool {
        let pixels = g.outHeight * g.outWidth, taps = g.inChannels * g.kernelHeight * g.kernelWidth
        return g.batch > 1 && pixels <= maxPixels && (taps + g.outChannels) * g.batch * pixels <= maxScratchFloats
    }

    static func forward(_ g: Conv2dGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>, isa: KernelISA) {
        let pixels = g.outHeight * g.outWidth, columns = g.batch * pixels
        let taps = g.inChannels * g.kernelHeight * g.kernelWidth, cout = g.outChannels
        Workspace.shared.withBuffer(floats: (taps + cout) * columns) { buffer in
            let product = SendablePointer(buffer + taps * columns)
            buildColumns(g, input: input, into: buffer)
            gemmDriver(m: cout, n: columns, k: taps, alpha: 1,
                       a: StridedMatrix(base: weight, rowStride: taps, columnStride: 1),
                       b: StridedMatrix(base: buffer, rowStride: columns, columnStride: 1), beta: 0,
                       c: GEMMOutput(base: product.pointer, rowStride: columns, columnStride: 1, rowBias: bias), isa: isa)
            // product[co][n·P + p] → output[n][co][p].
            let out = SendablePointer(output)
            Parallel.forEach(g.batch, estimatedWork: cout * columns * 2) { n in
                for co in 0..<cout {
                    copyFloats(product.pointer + co * columns + n * pixels, to: out.pointer + (n * cout + co) * pixels,
                               count: pixels)
                }
            }
        }
    }

    /// gradWeight (Cout × taps), overwritten.
    static func weightGradient(_ g: Conv2dGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                               gradWeight: UnsafeMutablePointer<Float>, isa: KernelISA) {
        let pixels = g.outHeight * g.outWidth, columns = g.batch * pixels
        let taps = g.inChannels * g.kernelHeight * g.kernelWidth, cout = g.outChannels
        Workspace.shared.withBuffer(floats: (taps + cout) * columns) { buffer in
            let gathered = SendablePointer(buffer + taps * columns)
            buildColumns(g, input: input, into: buffer)
            // dY[n][co][p] → gathered[co][n·P + p].
            Parallel.forEach(g.batch, estimatedWork: cout * columns * 2) { n in
                for co in 0..<cout {
                    copyFloats(gradOutput + (n * cout + co) * pixels, to: gathered.pointer + co * columns + n * pixels,
                               count: pixels)
                }
            }
            sgemm(transposeA: false, transposeB: true, m: cout, n: taps, k: columns, alpha: 1,
                  a: gathered.pointer, lda: columns, b: buffer, ldb: columns, beta: 0, c: gradWeight, ldc: taps, isa: isa)
        }
    }

    /// col[(c·kh + ky)·kw + kx][n·P + oy·Wo + ox] = input[n][c][oy·sy − padY + ky][ox·sx − padX + kx],
    /// zero outside the image; P = Ho·Wo.
    static func buildColumns(_ g: Conv2dGeometry, input: UnsafePointer<Float>, into col: UnsafeMutablePointer<Float>) {
        let h = g.inHeight, w = g.inWidth, ho = g.outHeight, wo = g.outWidth
        let kh = g.kernelHeight, kw = g.kernelWidth, sy = g.strideY, sx = g.strideX
        let pixels = ho * wo, columns = g.batch * pixels
        let destination = SendablePointer(col)
        Parallel.forEach(g.inChannels * g.batch, estimatedWork: g.inChannels * kh * kw * columns * 2) { job in
            let c = job / g.batch, n = job - c * g.batch
            let plane = input + (n * g.inChannels + c) * h * w
            for ky in 0..<kh {
                for kx in 0..<kw {
                    let row = destination.pointer + ((c * kh + ky) * kw + kx) * columns + n * pixels
                    // Output columns whose input column ox·sx − padX + kx lies inside the image.
                    let before = g.padX - kx
                    let ox0 = before <= 0 ? 0 : min(wo, (before + sx - 1) / sx)
                    let last = w - 1 + g.padX - kx
                    let ox1 = last < 0 ? 0 : min(wo, last / sx + 1)
                    for oy in 0..<ho {
                        let iy = oy * sy - g.padY + ky
                        let dst = row + oy * wo
                        if iy < 0 || iy >= h || ox1 <= ox0 {
                            for ox in 0..<wo { dst[ox] = 0 }
                            continue
                        }
                        for ox in 0..<ox0 { dst[ox] = 0 }
                        for ox in ox1..<wo { dst[ox] = 0 }
                        let src = plane + iy * w + ox0 * sx - g.padX + kx
                        if sx == 1 {
                            copyFloats(src, to: dst + ox0, count: ox1 - ox0)
                        } else {
                            for ox in ox0..<ox1 { dst[ox] = src[(ox - ox0) &* sx] }
                        }
                    }
                }
            }
        }
    }

    /// A plain loop: the rows here are a few to a few dozen floats, too short for memmove's call.
    @inline(__always)
    private static func copyFloats(_ src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { dst[i] = src[i] }
    }
}
