/// Packing of GEMM operands into the micro-kernel's panel layouts.
///
/// A row panel ("A panel") holds 6 rows × kc: element (i, p) at `p·6 + i`.
/// A column panel ("B panel") holds kc × 16 columns: element (p, j) at `p·16 + j`.
/// Panels past the matrix edge are zero-padded, so the micro-kernel always runs full tiles.

/// A logical m×k left operand that can pack its row panels.
protocol GEMMOperandA {
    /// Packs rows `i0 ..< i0+rows`, depth `p0 ..< p0+kc` into ⌈rows/6⌉ consecutive A panels of
    /// 6·kc floats each.
    func packA(rows i0: Int, _ rows: Int, depth p0: Int, _ kc: Int, into dst: UnsafeMutablePointer<Float>)
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

    func packA(rows i0: Int, _ rows: Int, depth p0: Int, _ kc: Int, into dst: UnsafeMutablePointer<Float>) {
        let mr = GEMMTile.rows
        var panel = dst
        var i = 0
        while i < rows {
            let valid = min(mr, rows - i)
            let origin = base + (i0 + i) * rowStride + p0 * columnStride
            if columnStride == 1 && valid == mr {
                // Six contiguous rows, interleaved.
                let r0 = origin, r1 = origin + rowStride, r2 = origin + 2 * rowStride
                let r3 = origin + 3 * rowStride, r4 = origin + 4 * rowStride, r5 = origin + 5 * rowStride
                for p in 0..<kc {
                    let d = panel + p &* mr
                    d[0] = r0[p]; d[1] = r1[p]; d[2] = r2[p]; d[3] = r3[p]; d[4] = r4[p]; d[5] = r5[p]
                }
            } else if rowStride == 1 && valid == mr {
                // Transposed storage: six contiguous floats per depth step.
                for p in 0..<kc {
                    let s = origin + p &* columnStride, d = panel + p &* mr
                    d[0] = s[0]; d[1] = s[1]; d[2] = s[2]; d[3] = s[3]; d[4] = s[4]; d[5] = s[5]
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
/// 16×8 blocks are read as SIMD8 rows and written transposed, so both sides stream.
@inline(__always)
func packTransposedPanel(_ src: UnsafePointer<Float>, _ stride: Int, _ kc: Int, _ dst: UnsafeMutablePointer<Float>) {
    let nr = GEMMTile.columns
    var p = 0
    while p + 8 <= kc {
        for j in 0..<nr {
            let v = UnsafeRawPointer(src + (j &* stride &+ p)).loadUnaligned(as: SIMD8<Float>.self)
            let d = dst + (p &* nr &+ j)
            d[0] = v[0]; d[nr] = v[1]; d[2 * nr] = v[2]; d[3 * nr] = v[3]
            d[4 * nr] = v[4]; d[5 * nr] = v[5]; d[6 * nr] = v[6]; d[7 * nr] = v[7]
        }
        p += 8
    }
    while p < kc {
        for j in 0..<nr { dst[p * nr + j] = src[j * stride + p] }
        p += 1
    }
}
