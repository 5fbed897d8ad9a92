/// Packing of GEMM operands into the micro-kernel's panel layouts.
///
/// A row panel ("A panel") holds mr rows × kc: element (i, p) at `p·mr + i` (mr = 6 for the SIMD8
/// kernels, `AVX512Tile.rows` for the AVX-512 ones).
/// A column panel ("B panel") holds kc × 16 columns: element (p, j) at `p·16 + j`.
/// Panels past the matrix edge are zero-padded, so the micro-kernel always runs full tiles.

/// A logical m×k left operand that can pack its row panels.
protocol GEMMOperandA {
    /// Packs rows `i0 ..< i0+rows`, depth `p0 ..< p0+kc` into ⌈rows/mr⌉ consecutive A panels of
    /// mr·kc floats each.
    func packA(rows i0: Int, _ rows: Int, depth p0: Int, _ kc: Int, mr: Int, into dst: UnsafeMutablePointer<Float>)
    /// Non-nil when element (i, p) is at `base[i·rowStride + p]`: rows contiguous along depth, so
    /// the micro-kernel may broadcast from them directly instead of from a packed copy.
    var contiguousRows: (base: UnsafePointer<Float>, rowStride: Int)? { get }
}

extension GEMMOperandA {
    var contiguousRows: (base: UnsafePointer<Float>, rowStride: Int)? { nil }
}

/// A logical k×n right operand that can pack its column panels.
protocol GEMMOperandB {
    /// Packs depth `p0 ..< p0+kc`, columns `j0 ..< j0+columns` into ⌈columns/16⌉ consecutive B
    /// panels of 16·kc floats each (each panel 64-byte aligned if `dst` is).
    func packB(depth p0: Int, _ kc: Int, columns j0: Int, _ columns: Int, into dst: UnsafeMutablePointer<Float>)
}

/// A dense matrix in memory: element (r, c) at `base[r·rowStride + c·columnStride]`. Covers both
/// plain row-major (columnStride 1) and transposed (rowStride 1) storage.
struct StridedMatrix: GEMMOperandA, GEMMOperandB {
    var base: UnsafePointer<Float>
    var rowStride: Int
    var columnStride: Int

    var contiguousRows: (base: UnsafePointer<Float>, rowStride: Int)? {
        columnStride == 1 ? (base, rowStride) : nil
    }

    /// The same storage seen as the transposed matrix.
    var transposed: StridedMatrix { StridedMatrix(base: base, rowStride: columnStride, columnStride: rowStride) }

    func packA(rows i0: Int, _ rows: Int, depth p0: Int, _ kc: Int, mr: Int, into dst: UnsafeMutablePointer<Float>) {
        var panel = dst
        var i = 0
        while i < rows {
            let valid = min(mr, rows - i)
            let origin = base + (i0 + i) * rowStride + p0 * columnStride
            if columnStride == 1 && valid == mr && mr == 6 {
                // Six contiguous rows, interleaved.
                let r0 = origin, r1 = origin + rowStride, r2 = origin + 2 * rowStride
                let r3 = origin + 3 * rowStride, r4 = origin + 4 * rowStride, r5 = origin + 5 * rowStride
                for p in 0..<kc {
                    let d = panel + p &* mr
                    d[0] = r0[p]; d[1] = r1[p]; d[2] = r2[p]; d[3] = r3[p]; d[4] = r4[p]; d[5] = r5[p]
                }
            } else if rowStride == 1 && valid == mr && mr == 6 {
                // Transposed storage: six contiguous floats per depth step.
                for p in 0..<kc {
                    let s = origin + p &* columnStride, d = panel + p &* mr
                    d[0] = s[0]; d[1] = s[1]; d[2] = s[2]; d[3] = s[3]; d[4] = s[4]; d[5] = s[5]
                }
            } else if columnStride == 1 && valid == mr {
                // Contiguous rows, any panel height: one row at a time, strided stores.
                for r in 0..<mr {
                    let s = origin + r &* rowStride, d = panel + r
                    for p in 0..<kc { d[p &* mr] = s[p] }
                }
            } else if rowStride == 1 && valid == mr {
                for p in 0..<kc {
                    (panel + p &* mr).update(from: origin + p &* columnStride, count: mr)
                }
            } else {
                for p in 0..<kc {
                    let d = panel + p * mr
                    for r in 0..<valid { d[r] = origin[r * rowStride + p * columnStride] }
                    for r in valid..<mr { d[r] = 0 }
                }
            }
            panel += mr * kc
            i += mr
        }
    }

    func packB(depth p0: Int, _ kc: Int, columns j0: Int, _ columns: Int, into dst: UnsafeMutablePointer<Float>) {
        let nr = GEMMTile.columns
        var panel = dst
        var j = 0
        if columnStride == 1 && columns >= nr {
            // Row-major B: walk each source row once across all full panels (a streaming read),
            // scattering 16-float pieces to the panels.
            let fullPanels = columns / nr
            let panelFloats = nr &* kc
            for p in 0..<kc {
                let s = UnsafeRawPointer(base + ((p0 &+ p) &* rowStride &+ j0))
                var d = UnsafeMutableRawPointer(dst + p &* nr)
                for q in 0..<fullPanels {
                    d.storeBytes(of: s.loadUnaligned(fromByteOffset: q &* 64, as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                    d.storeBytes(of: s.loadUnaligned(fromByteOffset: q &* 64 &+ 32, as: SIMD8<Float>.self),
                                 toByteOffset: 32, as: SIMD8<Float>.self)
                    d += panelFloats &* 4
                }
            }
            j = fullPanels * nr
            panel += fullPanels * panelFloats
        }
        while j < columns {
            let valid = min(nr, columns - j)
            let origin = base + p0 * rowStride + (j0 + j) * columnStride
            if rowStride == 1 && valid == nr {
                packTransposedPanel(origin, columnStride, kc, panel)
            } else {
                for p in 0..<kc {
                    let d = panel + p * nr
                    for c in 0..<valid { d[c] = origin[p * rowStride + c * columnStride] }
                    for c in valid..<nr { d[c] = 0 }
                }
            }
            panel += nr * kc
            j += nr
        }
    }
}

/// Packs a full B panel whose 16 columns are contiguous rows in memory (`src + j·stride + p`):
/// 8×8 blocks are read as SIMD8 rows, transposed in registers and stored as SIMD8 rows.
@inline(__always)
func packTransposedPanel(_ src: UnsafePointer<Float>, _ stride: Int, _ kc: Int, _ dst: UnsafeMutablePointer<Float>) {
    let nr = GEMMTile.columns
    var p = 0
    while p + 8 <= kc {
        for half in 0..<2 {
            let j0 = half &* 8
            @inline(__always) func row(_ j: Int) -> SIMD8<Float> {
                UnsafeRawPointer(src + ((j0 &+ j) &* stride &+ p)).loadUnaligned(as: SIMD8<Float>.self)
            }
            let t = transpose8x8(row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7))
            let d = UnsafeMutableRawPointer(dst + (p &* nr &+ j0))
            d.storeBytes(of: t.0, as: SIMD8<Float>.self)
            d.storeBytes(of: t.1, toByteOffset: 64, as: SIMD8<Float>.self)
            d.storeBytes(of: t.2, toByteOffset: 128, as: SIMD8<Float>.self)
            d.storeBytes(of: t.3, toByteOffset: 192, as: SIMD8<Float>.self)
            d.storeBytes(of: t.4, toByteOffset: 256, as: SIMD8<Float>.self)
            d.storeBytes(of: t.5, toByteOffset: 320, as: SIMD8<Float>.self)
            d.storeBytes(of: t.6, toByteOffset: 384, as: SIMD8<Float>.self)
            d.storeBytes(of: t.7, toByteOffset: 448, as: SIMD8<Float>.self)
        }
        p += 8
    }
    while p < kc {
        for j in 0..<nr { dst[p * nr + j] = src[j * stride + p] }
        p += 1
    }
}

/// Transposes the 8×8 matrix whose rows are r0…r7 (returns its columns). Three rounds of the
/// perfect shuffle: pairing rows (2i, 2i+1) into their even and odd lanes rotates the 6-bit
/// (row, column) index right by one bit, so three rounds swap row and column bits.
@inline(__always)
func transpose8x8(_ r0: SIMD8<Float>, _ r1: SIMD8<Float>, _ r2: SIMD8<Float>, _ r3: SIMD8<Float>,
                  _ r4: SIMD8<Float>, _ r5: SIMD8<Float>, _ r6: SIMD8<Float>, _ r7: SIMD8<Float>)
    -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
    @inline(__always) func round(_ a0: SIMD8<Float>, _ a1: SIMD8<Float>, _ a2: SIMD8<Float>, _ a3: SIMD8<Float>,
                                 _ a4: SIMD8<Float>, _ a5: SIMD8<Float>, _ a6: SIMD8<Float>, _ a7: SIMD8<Float>)
        -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        let p0 = SIMD16(lowHalf: a0, highHalf: a1), p1 = SIMD16(lowHalf: a2, highHalf: a3)
        let p2 = SIMD16(lowHalf: a4, highHalf: a5), p3 = SIMD16(lowHalf: a6, highHalf: a7)
        return (p0.evenHalf, p1.evenHalf, p2.evenHalf, p3.evenHalf, p0.oddHalf, p1.oddHalf, p2.oddHalf, p3.oddHalf)
    }
    let a = round(r0, r1, r2, r3, r4, r5, r6, r7)
    let b = round(a.0, a.1, a.2, a.3, a.4, a.5, a.6, a.7)
    return round(b.0, b.1, b.2, b.3, b.4, b.5, b.6, b.7)
}
