// AVX-512 kernels of the direct few-channel convolution (Kernels/DirectConv.swift): weights packed
// as for the SIMD8 kernels ([c][ky][kx][j], here 8 channels per block) and the same FMA chain per
// output element, over twice the pixels per call.
#if arch(x86_64)

/// 8 output channels × 32 pixels of one row: tile[32·j + i] = bias[j] + Σ_c,ky,kx w·in (weights
/// packed [c][ky][kx][j], 8 per tap).
@inline(never)
public func avx512DirectKernel8x32(_ input: UnsafePointer<Float>, planeStride: Int, rowStride: Int, channels: Int, kernel k: Int,
                                   weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, tile: UnsafeMutablePointer<Float>) {
    typealias V = SIMD16<Float>
    var c00 = V(repeating: bias[0]), c01 = c00
    var c10 = V(repeating: bias[1]), c11 = c10
    var c20 = V(repeating: bias[2]), c21 = c20
    var c30 = V(repeating: bias[3]), c31 = c30
    var c40 = V(repeating: bias[4]), c41 = c40
    var c50 = V(repeating: bias[5]), c51 = c50
    var c60 = V(repeating: bias[6]), c61 = c60
    var c70 = V(repeating: bias[7]), c71 = c70
    var wp = weight
    var plane = input
    for _ in 0..<channels {
        var row = plane
        for _ in 0..<k {
            for kx in 0..<k {
                let raw = UnsafeRawPointer(row + kx)
                let v0 = raw.loadUnaligned(as: V.self)
                let v1 = raw.loadUnaligned(fromByteOffset: 64, as: V.self)
                do { let b = V(repeating: wp[0]); c00 = c00.addingProduct(b, v0); c01 = c01.addingProduct(b, v1) }
                do { let b = V(repeating: wp[1]); c10 = c10.addingProduct(b, v0); c11 = c11.addingProduct(b, v1) }
                do { let b = V(repeating: wp[2]); c20 = c20.addingProduct(b, v0); c21 = c21.addingProduct(b, v1) }
                do { let b = V(repeating: wp[3]); c30 = c30.addingProduct(b, v0); c31 = c31.addingProduct(b, v1) }
                do { let b = V(repeating: wp[4]); c40 = c40.addingProduct(b, v0); c41 = c41.addingProduct(b, v1) }
                do { let b = V(repeating: wp[5]); c50 = c50.addingProduct(b, v0); c51 = c51.addingProduct(b, v1) }
                do { let b = V(repeating: wp[6]); c60 = c60.addingProduct(b, v0); c61 = c61.addingProduct(b, v1) }
                do { let b = V(repeating: wp[7]); c70 = c70.addingProduct(b, v0); c71 = c71.addingProduct(b, v1) }
                wp += 8
            }
            row += rowStride
        }
        plane += planeStride
    }
    let t = UnsafeMutableRawPointer(tile)
    t.storeBytes(of: c00, toByteOffset: 0, as: V.self); t.storeBytes(of: c01, toByteOffset: 64, as: V.self)
    t.storeBytes(of: c10, toByteOffset: 128, as: V.self); t.storeBytes(of: c11, toByteOffset: 192, as: V.self)
    t.storeBytes(of: c20, toByteOffset: 256, as: V.self); t.storeBytes(of: c21, toByteOffset: 320, as: V.self)
    t.storeBytes(of: c30, toByteOffset: 384, as: V.self); t.storeBytes(of: c31, toByteOffset: 448, as: V.self)
    t.storeBytes(of: c40, toByteOffset: 512, as: V.self); t.storeBytes(of: c41, toByteOffset: 576, as: V.self)
    t.storeBytes(of: c50, toByteOffset: 640, as: V.self); t.storeBytes(of: c51, toByteOffset: 704, as: V.self)
    t.storeBytes(of: c60, toByteOffset: 768, as: V.self); t.storeBytes(of: c61, toByteOffset: 832, as: V.self)
    t.storeBytes(of: c70, toByteOffset: 896, as: V.self); t.storeBytes(of: c71, toByteOffset: 960, as: V.self)
}

/// 1 output channel × 64 pixels of one row, written to `output`.
@inline(never)
public func avx512DirectKernel1x64(_ input: UnsafePointer<Float>, planeStride: Int, rowStride: Int, channels: Int, kernel k: Int,
                                   weight: UnsafePointer<Float>, bias: Float, output: UnsafeMutablePointer<Float>) {
    typealias V = SIMD16<Float>
    var a0 = V(repeating: bias), a1 = a0, a2 = a0, a3 = a0
    var wp = weight
    var plane = input
    for _ in 0..<channels {
        var row = plane
        for _ in 0..<k {
            for kx in 0..<k {
                let raw = UnsafeRawPointer(row + kx)
                let b = V(repeating: wp[0])
                a0 = a0.addingProduct(b, raw.loadUnaligned(as: V.self))
                a1 = a1.addingProduct(b, raw.loadUnaligned(fromByteOffset: 64, as: V.self))
                a2 = a2.addingProduct(b, raw.loadUnaligned(fromByteOffset: 128, as: V.self))
                a3 = a3.addingProduct(b, raw.loadUnaligned(fromByteOffset: 192, as: V.self))
                wp += 1
            }
            row += rowStride
        }
        plane += planeStride
    }
    let o = UnsafeMutableRawPointer(output)
    o.storeBytes(of: a0, toByteOffset: 0, as: V.self); o.storeBytes(of: a1, toByteOffset: 64, as: V.self)
    o.storeBytes(of: a2, toByteOffset: 128, as: V.self); o.storeBytes(of: a3, toByteOffset: 192, as: V.self)
}

#endif
