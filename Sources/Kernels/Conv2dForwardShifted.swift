/// Stride-1 convolution forward without im2col packing ("shifted views", like the weight gradient).
///
/// With the image zero-padded into planes of row width Wp = W + 2·padX and the output seen as Ho
/// rows of Wp virtual pixels, column-matrix row t = (c, ky, kx) is the padded plane of channel c
/// read from offset off[t] = c·planeStride + ky·Wp + kx. So the 16 B values of depth step t for
/// virtual pixels v..v+15 are 16 contiguous floats at P + v + off[t]: the micro-kernel loads them
/// straight from the padded image (`gemmMicroKernelGatherB6x16`), and no B panel is packed at all.
/// Virtual pixels with ox ≥ Wo are computed and dropped (Wp/Wo − 1 extra work: 0.6% at Wo = 320).
/// A (the weights, Cout × taps) is small and packed whole.
enum Conv2dShifted {
    /// Whether `conv2dForward` should take this path: stride 1, rows wide enough that few tiles
    /// straddle a row end, enough pixels to amortise padding, weights small enough to pack whole.
    static func applies(_ g: Conv2dGeometry, isa: KernelISA) -> Bool {
        let mr = GEMMTile.rows(isa)
        let taps = g.inChannels * g.kernelHeight * g.kernelWidth
        return g.strideY == 1 && g.strideX == 1 && !g.isPointwise && g.outWidth >= 48
            && g.outHeight * g.outWidth >= 1024
            && (g.outChannels + mr - 1) / mr * mr * taps <= GEMMBlocking.smallAFloats
    }

    static func forward(_ g: Conv2dGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>, isa: KernelISA) {
        let mr = GEMMTile.rows(isa), nr = GEMMTile.columns
        let kh = g.kernelHeight, kw = g.kernelWidth, h = g.inHeight, w = g.inWidth
        let hp = h + 2 * g.padY, wp = w + 2 * g.padX, ho = g.outHeight, wo = g.outWidth
        let cout = g.outChannels, taps = g.inChannels * kh * kw, pixels = ho * wo
        let virtualPixels = ho * wp
        let planeStride = (hp * wp + kw + 2 * nr + 15) & ~15  // room for a 32-wide load past the last pixel
        let kc = GEMMBlocking.balanced(taps, maximum: GEMMBlocking.kcMax, multiple: 1)
        let depthBlocks = (taps + kc - 1) / kc
        let mPadded = (cout + mr - 1) / mr * mr
        let blockFloats = mPadded * kc
        let aFloats = (depthBlocks * blockFloats + 15) & ~15
        let padFloats = g.inChannels * planeStride
        let threads = max(1, Parallel.threadCount)
        let tileFloats = GEMMTile.scratchFloats
        let weights = StridedMatrix(base: weight, rowStride: taps, columnStride: 1)

        Workspace.shared.withBuffer(floats: aFloats + padFloats + threads * tileFloats + 2 * taps) { buffer in
            let aPack = SendablePointer(buffer)
            let padded = SendablePointer(buffer + aFloats)
            let tiles = buffer + aFloats + padFloats
            // Tap offsets into the padded planes (Int, as pointer offsets), 64-bit each = 2 floats.
            let offsets = UnsafeMutableRawPointer(tiles + threads * tileFloats).bindMemory(to: Int.self, capacity: taps)
            var cursor = TapCursor(0, kh: kh, kw: kw)
            for t in 0..<taps {
                offsets[t] = cursor.c * planeStride + cursor.ky * wp + cursor.kx
                cursor.advance()
            }
            Parallel.forEach(depthBlocks, estimatedWork: cout * taps * 4) { d in
                let pc = d * kc
                weights.packA(rows: 0, cout, depth: pc, min(kc, taps - pc), mr: mr, into: aPack.pointer + d * blockFloats)
            }
            let panels = (virtualPixels + nr - 1) / nr
            var chunkPanels = max(1, min(16, panels / (8 * threads)))
            if isa == .avx512 && chunkPanels > 1 { chunkPanels &= ~1 }  // whole 32-pixel pairs per chunk
            let chunks = (panels + chunkPanels - 1) / chunkPanels
            for n in 0..<g.batch {
                let image = input + n * g.inChannels * h * w
                let out = output + n * cout * pixels
                Parallel.forEach(g.inChannels, estimatedWork: padFloats * 2) { c in
                    padPlane(image + c * h * w, h: h, w: w, padY: g.padY, padX: g.padX,
                             into: padded.pointer + c * planeStride, stride: planeStride)
                }
                Parallel.forEachWithSlot(chunks, slots: threads) { chunk, slot in
                    let tile = tiles + slot * tileFloats
                    #if arch(x86_64)
                    if isa == .avx512 {
                        let walk = ShiftedWalk(wp: wp, wo: wo, pixels: pixels, virtualPixels: virtualPixels, cout: cout,
                                               taps: taps, kc: kc, depthBlocks: depthBlocks, blockFloats: blockFloats,
                                               aPack: UnsafePointer(aPack.pointer), padded: UnsafePointer(padded.pointer),
                                               offsets: offsets, bias: bias, out: out)
                        walk.panelsAVX512(chunk * chunkPanels, min(panels, (chunk + 1) * chunkPanels), tile: tile)
                        return
                    }
                    #endif
                    for q in (chunk * chunkPanels)..<min(panels, (chunk + 1) * chunkPanels) {
                        let v0 = q * nr
                        // Direct stores when all 16 virtual pixels are real pixels of one output row.
                        let oy = v0 / wp, ox = v0 - oy * wp
                        let direct = ox + nr <= wo
                        for d in 0..<depthBlocks {
                            let pc = d * kc, kcb = min(kc, taps - pc)
                            let beta: Float = d == 0 ? 0 : 1
                            let bBase = UnsafePointer(padded.pointer) + v0
                            let aBlock = UnsafePointer(aPack.pointer) + d * blockFloats
                            var i = 0
                            while i < cout {
                                let validRows = min(mr, cout - i)
                                let rowBias = d == 0 ? bias.map { $0 + i } : nil
                                if direct && (validRows == mr || validRows == 4) {
                                    let c = out + i * pixels + oy * wo + ox
                                    if validRows == mr {
                                        gemmMicroKernelGatherB6x16(kcb, aBlock + i * kcb, bBase, offsets + pc, c, pixels,
                                                                   beta: beta, rowBias: rowBias)
                                    } else {
                                        gemmMicroKernelGatherB4x16(kcb, aBlock + i * kcb, bBase, offsets + pc, c, pixels,
                                                                   beta: beta, rowBias: rowBias)
                                    }
                                } else if direct {
                                    // A short last row tile (e.g. Cout = 1): full-width rows through the tile.
                                    gemmMicroKernelGatherB6x16(kcb, aBlock + i * kcb, bBase, offsets + pc, tile, nr,
                                                               beta: 0, rowBias: nil)
                                    let c = out + i * pixels + oy * wo + ox
                                    for r in 0..<validRows {
                                        let row = UnsafeRawPointer(tile + r * nr)
                                        gemmStoreRow(c + r * pixels, row.load(as: SIMD8<Float>.self),
                                                     row.load(fromByteOffset: 32, as: SIMD8<Float>.self),
                                                     1, beta, rowBias?[r] ?? 0)
                                    }
                                } else {
                                    gemmMicroKernelGatherB6x16(kcb, aBlock + i * kcb, bBase, offsets + pc, tile, nr,
                                                               beta: 0, rowBias: nil)
                                    scatterVirtualTile(tile, rows: validRows, firstPixel: v0, virtualPixels: virtualPixels,
                                                       wp: wp, wo: wo, into: out + i * pixels, plane: pixels,
                                                       beta: beta, rowBias: rowBias)
                                }
                                i += mr
                            }
                        }
                    }
                }
            }
        }
    }

    /// Writes the real pixels of a tile of virtual pixels v0..v0+width−1 (tile row stride `width`,
    /// virtual row stride wp) into output planes (`plane` floats apart, row stride wo):
    /// C = tile + beta·C (+ bias).
    static func scatterVirtualTile(_ tile: UnsafePointer<Float>, width: Int = GEMMTile.columns, rows: Int,
                                   firstPixel v0: Int, virtualPixels: Int,
                                   wp: Int, wo: Int, into out: UnsafeMutablePointer<Float>, plane: Int,
                                   beta: Float, rowBias: UnsafePointer<Float>?) {
        var oy = v0 / wp, ox = v0 - oy * wp
        for j in 0..<min(width, virtualPixels - v0) {
            if ox < wo {
                let o = out + oy * wo + ox
                for r in 0..<rows {
                    let value = tile[r * width + j] + (rowBias?[r] ?? 0)
                    o[r * plane] = beta == 0 ? value : value + o[r * plane]
                }
            }
            ox += 1
            if ox == wp { ox = 0; oy += 1 }
        }
    }
}

/// The 6×16 kernel with B read in place: depth step p's 16 values are contiguous at
/// `b + offsets[p]` (unaligned). C[6×16] (row stride `ldc`) = Σ_p a[p·6 + i]·B[p][j] + beta·C (+ rowBias[i]).
@inline(__always)
func gemmMicroKernelGatherB6x16(_ kc: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                _ offsets: UnsafePointer<Int>, _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
                                beta: Float, rowBias: UnsafePointer<Float>?) {
    typealias V = SIMD8<Float>
    var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
    var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()
    var ap = a
    for p in 0..<kc {
        let bp = UnsafeRawPointer(b + offsets[p])
        let b0 = bp.loadUnaligned(as: V.self)
        let b1 = bp.loadUnaligned(fromByteOffset: 32, as: V.self)
        var av = V(repeating: ap[0])
        c00 = c00.addingProduct(av, b0); c01 = c01.addingProduct(av, b1)
        av = V(repeating: ap[1])
        c10 = c10.addingProduct(av, b0); c11 = c11.addingProduct(av, b1)
        av = V(repeating: ap[2])
        c20 = c20.addingProduct(av, b0); c21 = c21.addingProduct(av, b1)
        av = V(repeating: ap[3])
        c30 = c30.addingProduct(av, b0); c31 = c31.addingProduct(av, b1)
        av = V(repeating: ap[4])
        c40 = c40.addingProduct(av, b0); c41 = c41.addingProduct(av, b1)
        av = V(repeating: ap[5])
        c50 = c50.addingProduct(av, b0); c51 = c51.addingProduct(av, b1)
        ap += 6
    }
    gemmStoreRow(c, c00, c01, 1, beta, rowBias?[0] ?? 0)
    gemmStoreRow(c + ldc, c10, c11, 1, beta, rowBias?[1] ?? 0)
    gemmStoreRow(c + 2 * ldc, c20, c21, 1, beta, rowBias?[2] ?? 0)
    gemmStoreRow(c + 3 * ldc, c30, c31, 1, beta, rowBias?[3] ?? 0)
    gemmStoreRow(c + 4 * ldc, c40, c41, 1, beta, rowBias?[4] ?? 0)
    gemmStoreRow(c + 5 * ldc, c50, c51, 1, beta, rowBias?[5] ?? 0)
}

/// The 4-row tail of `gemmMicroKernelGatherB6x16` (rows 4, 5 of the packed A panel are padding).
@inline(__always)
func gemmMicroKernelGatherB4x16(_ kc: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                _ offsets: UnsafePointer<Int>, _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
                                beta: Float, rowBias: UnsafePointer<Float>?) {
    typealias V = SIMD8<Float>
    var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V(), c30 = V(), c31 = V()
    var ap = a
    for p in 0..<kc {
        let bp = UnsafeRawPointer(b + offsets[p])
        let b0 = bp.loadUnaligned(as: V.self)
        let b1 = bp.loadUnaligned(fromByteOffset: 32, as: V.self)
        var av = V(repeating: ap[0])
        c00 = c00.addingProduct(av, b0); c01 = c01.addingProduct(av, b1)
        av = V(repeating: ap[1])
        c10 = c10.addingProduct(av, b0); c11 = c11.addingProduct(av, b1)
        av = V(repeating: ap[2])
        c20 = c20.addingProduct(av, b0); c21 = c21.addingProduct(av, b1)
        av = V(repeating: ap[3])
        c30 = c30.addingProduct(av, b0); c31 = c31.addingProduct(av, b1)
        ap += 6
    }
    gemmStoreRow(c, c00, c01, 1, beta, rowBias?[0] ?? 0)
    gemmStoreRow(c + ldc, c10, c11, 1, beta, rowBias?[1] ?? 0)
    gemmStoreRow(c + 2 * ldc, c20, c21, 1, beta, rowBias?[2] ?? 0)
    gemmStoreRow(c + 3 * ldc, c30, c31, 1, beta, rowBias?[3] ?? 0)
}
