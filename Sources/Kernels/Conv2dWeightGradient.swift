/// The weight gradient of a convolution without im2col ("shifted views"), for any stride.
///
/// dWᵀ (taps × Cout) = Σ_images col (taps × pixels) · dYᵀ (pixels × Cout). Stride 1 first: with
/// the image zero-padded into planes of row width Wp = W + 2·padX, and the output seen as Ho rows
/// of Wp "virtual" pixels (the last Wp − Wo of each row get dY = 0), the column-matrix row of tap
/// (c, ky, kx) is simply the padded plane of channel c read from offset ky·Wp + kx: contiguous
/// along pixels, across output rows too. So the large operand needs no packing at all: the
/// micro-kernel broadcasts straight from the padded image (`gemmMicroKernelRows6x16`); only the
/// small dYᵀ is packed. Extra work: Wp/Wo − 1 (0.6% for 320-wide rows).
///
/// Stride s: the padded image is split into s_y·s_x phase planes P[a][b][y][x] =
/// padded[y·s_y + a][x·s_x + b] of width Wq = ⌈Wp/s_x⌉; tap (c, ky, kx) then reads phase
/// (ky mod s_y, kx mod s_x) from offset (ky / s_y)·Wq + kx / s_x: again a stride-1 shifted view.
func conv2dBackwardWeightShifted(_ g: Conv2dGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                 gradWeight: UnsafeMutablePointer<Float>, isa: KernelISA) {
    let mr = GEMMTile.rows(isa), nr = GEMMTile.columns
    let kh = g.kernelHeight, kw = g.kernelWidth, h = g.inHeight, w = g.inWidth
    let sy = g.strideY, sx = g.strideX
    let hp = h + 2 * g.padY, wp = w + 2 * g.padX, ho = g.outHeight, wo = g.outWidth
    let hq = (hp + sy - 1) / sy, wq = (wp + sx - 1) / sx
    let taps = g.inChannels * kh * kw, tapsPadded = (taps + mr - 1) / mr * mr
    let cout = g.outChannels, coutPadded = (cout + nr - 1) / nr * nr
    let planeStride = (hq * wq + (kw - 1) / sx + 15) & ~15
    let phases = sy * sx
    let virtualPixels = ho * wq
    let kc = GEMMBlocking.balanced(virtualPixels, maximum: GEMMBlocking.kcMax, multiple: 1)
    let depthBlocks = (virtualPixels + kc - 1) / kc
    let threads = max(1, Parallel.threadCount)
    let tiles = tapsPadded / mr
    let padFloats = g.inChannels * phases * planeStride
    let dYFloats = depthBlocks * kc * coutPadded
    let accumulatorFloats = tapsPadded * coutPadded

    Workspace.shared.withBuffer(floats: padFloats + dYFloats + accumulatorFloats) { buffer in
        let padded = SendablePointer(buffer)
        let dYPack = SendablePointer(buffer + padFloats)
        let accumulator = SendablePointer(buffer + padFloats + dYFloats)
        for n in 0..<g.batch {
            let image = input + n * g.inChannels * h * w
            let dY = gradOutput + n * cout * ho * wo
            // Phase 1: zero-padded image planes, and dYᵀ packed into 16-column panels per depth block.
            Parallel.forEach(g.inChannels + depthBlocks, estimatedWork: padFloats * 8 + dYFloats * 8) { job in
                if job < g.inChannels {
                    if phases == 1 {
                        padPlane(image + job * h * w, h: h, w: w, padY: g.padY, padX: g.padX,
                                 into: padded.pointer + job * planeStride, stride: planeStride)
                    } else {
                        phasePlanes(image + job * h * w, g, hq: hq, wq: wq,
                                    into: padded.pointer + job * phases * planeStride, stride: planeStride)
                    }
                } else {
                    let d = job - g.inChannels
                    let v0 = d * kc, kcb = min(kc, virtualPixels - v0)
                    packGradOutputPanels(dY, cout: cout, coutPadded: coutPadded, ho: ho, wo: wo, wp: wq,
                                         firstPixel: v0, count: kcb, into: dYPack.pointer + d * kc * coutPadded)
                }
            }
            // Phase 2: per depth block, chunks of tap tiles (rows of the accumulator) handed out
            // dynamically; the block's packed dYᵀ (kc × Cout) stays in L2 for all of them.
            let chunkTiles = max(1, min(8, tiles / (4 * threads)))
            let chunks = (tiles + chunkTiles - 1) / chunkTiles
            for d in 0..<depthBlocks {
                let v0 = d * kc, kcb = min(kc, virtualPixels - v0)
                let beta: Float = n == 0 && d == 0 ? 0 : 1
                let panels = UnsafePointer(dYPack.pointer + d * kc * coutPadded)
                Parallel.forEach(chunks, estimatedWork: 2 * kcb * tapsPadded * coutPadded) { chunk in
                    #if arch(x86_64)
                    if isa == .avx512 {
                        let walk = WeightGradientWalk(kh: kh, kw: kw, sy: sy, sx: sx, wq: wq, planeStride: planeStride,
                                                      taps: taps, coutPadded: coutPadded, v0: v0, kc: kcb, beta: beta,
                                                      padded: UnsafePointer(padded.pointer), panels: panels,
                                                      accumulator: accumulator.pointer)
                        for tile in (chunk * chunkTiles)..<min(tiles, (chunk + 1) * chunkTiles) { walk.tileAVX512(tile) }
                        return
                    }
                    #endif
                    for tile in (chunk * chunkTiles)..<min(tiles, (chunk + 1) * chunkTiles) {
                        var cursor = TapCursor(tile * mr, kh: kh, kw: kw)
                        var rows = (UnsafePointer(padded.pointer), UnsafePointer(padded.pointer), UnsafePointer(padded.pointer),
                                    UnsafePointer(padded.pointer), UnsafePointer(padded.pointer), UnsafePointer(padded.pointer))
                        withUnsafeMutableBytes(of: &rows) { raw in
                            let row = raw.bindMemory(to: UnsafePointer<Float>.self)
                            for r in 0..<mr {
                                // Rows past the last tap read tap 0 (valid memory); their sums are never used.
                                let tap = tile * mr + r < taps ? cursor : TapCursor(0, kh: kh, kw: kw)
                                let phase = (tap.c * sy + tap.ky % sy) * sx + tap.kx % sx
                                row[r] = UnsafePointer(padded.pointer) + phase * planeStride
                                    + (tap.ky / sy) * wq + tap.kx / sx + v0
                                cursor.advance()
                            }
                        }
                        let cTile = accumulator.pointer + tile * mr * coutPadded
                        for q in 0..<(coutPadded / nr) {
                            gemmMicroKernelRows6x16(kcb, rows.0, rows.1, rows.2, rows.3, rows.4, rows.5,
                                                    panels + q * kcb * nr, cTile + q * nr, coutPadded, beta: beta)
                        }
                    }
                }
            }
        }
        // dW[co][tap] = accumulator[tap][co].
        for co in 0..<cout {
            for tap in 0..<taps { gradWeight[co * taps + tap] = accumulator.pointer[tap * coutPadded + co] }
        }
    }
}

/// Copies an h×w plane into a zero-padded (h + 2·padY) × (w + 2·padX) plane (row width w + 2·padX),
/// zeroing the rest of `stride` floats after it.
func padPlane(_ src: UnsafePointer<Float>, h: Int, w: Int, padY: Int, padX: Int,
                      into dst: UnsafeMutablePointer<Float>, stride: Int) {
    let wp = w + 2 * padX
    dst.update(repeating: 0, count: padY * wp + padX)
    for y in 0..<h {
        let row = dst + (y + padY) * wp + padX
        row.update(from: src + y * w, count: w)
        if y + 1 < h { (row + w).update(repeating: 0, count: 2 * padX) }
    }
    let used = (h + padY) * wp - padX
    (dst + used).update(repeating: 0, count: stride - used)
}

/// The sy·sx phase planes of one zero-padded channel: plane (a, b) holds padded[y·sy + a][x·sx + b]
/// for y < hq, x < wq (zero outside the image), each followed by zeros up to `stride` floats.
private func phasePlanes(_ src: UnsafePointer<Float>, _ g: Conv2dGeometry, hq: Int, wq: Int,
                         into dst: UnsafeMutablePointer<Float>, stride: Int) {
    let h = g.inHeight, w = g.inWidth, sy = g.strideY, sx = g.strideX
    for a in 0..<sy {
        for b in 0..<sx {
            let plane = dst + (a * sx + b) * stride
            for y in 0..<hq {
                let iy = y * sy + a - g.padY
                let out = plane + y * wq
                if iy < 0 || iy >= h {
                    out.update(repeating: 0, count: wq)
                    continue
                }
                let row = src + iy * w
                for x in 0..<wq {
                    let ix = x * sx + b - g.padX
                    out[x] = ix >= 0 && ix < w ? row[ix] : 0
                }
            }
            (plane + hq * wq).update(repeating: 0, count: stride - hq * wq)
        }
    }
}

/// Packs dYᵀ for virtual pixels v0 ..< v0+count into coutPadded/16 panels of count × 16:
/// panel q element (v − v0, j) = dY[q·16 + j][oy][ox] with v = oy·wp + ox, zero for ox ≥ wo or
/// channels ≥ cout. dY is one image, cout planes of ho × wo.
private func packGradOutputPanels(_ dY: UnsafePointer<Float>, cout: Int, coutPadded: Int, ho: Int, wo: Int, wp: Int,
                                  firstPixel v0: Int, count: Int, into dst: UnsafeMutablePointer<Float>) {
    let nr = GEMMTile.columns
    for co in 0..<coutPadded {
        let d = dst + (co / nr) * count * nr + co % nr
        if co >= cout {
            for t in 0..<count { d[t * nr] = 0 }
            continue
        }
        let plane = dY + co * ho * wo
        var p = 0
        var oy = v0 / wp, ox = v0 - oy * wp
        while p < count {
            let run = min(count - p, wp - ox)
            let valid = max(0, min(run, wo - ox))
            if valid > 0 { scatterColumn(plane + oy * wo + ox, count: valid, into: d + p * nr) }
            for t in valid..<run { d[(p + t) * nr] = 0 }
            p += run
            oy += 1; ox = 0
        }
    }
}
