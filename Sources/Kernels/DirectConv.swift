// Direct (no im2col) stride-1 convolution for layers with few output channels and large images
// (networks engineer's file): the depth decoder's last levels (96→32, 32→16, 16→16 at 96×320 and
// 192×640) and its 1-channel disparity heads. There the GEMM formulation spends most of its time
// packing the (Cin·k²)×pixels operand, which is reused only Cout times; here each input vector is
// loaded once per block of 6 output channels (or once per tap for 1 channel) straight from the
// pre-padded image, and the epilogue runs on each finished row while it is still in cache.

#if arch(x86_64)
import KernelsAVX512
#endif

/// Output channels per register block of the 6×16 micro-kernel.
let directBlockChannels = 6
/// Output channels per register block of the AVX-512 8×32 micro-kernel (Cout 32 and 16 in whole blocks).
let directBlockChannelsAVX512 = 8

/// Whether `directConv2d` handles this shape (stride 1, few output channels, rows wide enough).
func directConvApplies(outChannels: Int, outWidth: Int, strideY: Int, strideX: Int) -> Bool {
    strideY == 1 && strideX == 1 && outChannels <= directMaxChannels && outWidth >= (outChannels == 1 ? 32 : 16)
}

/// Largest output channel count sent to the direct kernel (above it the implicit GEMM's packing is
/// amortised over enough output channels).
let directMaxChannels = 32

/// output (Cout, Ho, Wo) = activation(conv(input, weight) + bias) for ONE image, stride 1, no padding
/// (`input` is already padded): input (C, H, W), weight (Cout, C, k, k), Ho = H − k + 1, Wo = W − k + 1.
func directConv2d(input: UnsafePointer<Float>, channels: Int, height: Int, width: Int, kernel k: Int,
                  weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, outChannels: Int,
                  activation: ConvActivation, output: UnsafeMutablePointer<Float>,
                  isa: KernelISA = KernelDispatch.directConv) {
    let ho = height - k + 1, wo = width - k + 1
    let taps = channels * k * k
    let single = outChannels == 1
    // AVX-512: twice the pixels per call (8 channels × 32 pixels, 1 × 64) where rows are wide enough.
    #if arch(x86_64)
    let wide = isa == .avx512 && wo >= (single ? 64 : 32)
    #else
    let wide = false
    #endif
    let blockChannels = single ? 1 : wide ? directBlockChannelsAVX512 : directBlockChannels
    let blocks = (outChannels + blockChannels - 1) / blockChannels
    // Weights as [block][c][ky][kx][j] (j < blockChannels), zero beyond Cout; bias likewise.
    Workspace.shared.withBuffer(floats: blocks * taps * blockChannels + blocks * blockChannels) { packed in
        let packedBias = packed + blocks * taps * blockChannels
        for b in 0..<blocks {
            for j in 0..<blockChannels {
                let co = b * blockChannels + j
                packedBias[b * blockChannels + j] = co < outChannels ? (bias?[co] ?? 0) : 0
                for t in 0..<taps {
                    packed[(b * taps + t) * blockChannels + j] = co < outChannels ? weight[co * taps + t] : 0
                }
            }
        }
        let src = SendablePointer(UnsafeMutablePointer(mutating: input)), dst = SendablePointer(output)
        let wts = SendablePointer(packed)
        let chunks = min(ho, 4 * Parallel.threadCount)
        Parallel.forEach(chunks, estimatedWork: 2 * outChannels * taps * ho * wo) { chunk in
            let y0 = ho * chunk / chunks, y1 = ho * (chunk + 1) / chunks
            let step = (single ? 32 : 16) * (wide ? 2 : 1)
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 256) { tile in
                let tile = tile.baseAddress!
                // Rows outermost: the k input rows of an output row (all channels) stay in L2 while
                // every channel block uses them.
                for y in y0..<y1 {
                    let row = UnsafePointer(src.pointer) + y * width
                    for b in 0..<blocks {
                        let valid = min(blockChannels, outChannels - b * blockChannels)
                        let w = UnsafePointer(wts.pointer + b * taps * blockChannels)
                        let bb = UnsafePointer(wts.pointer + blocks * taps * blockChannels + b * blockChannels)
                        let out = dst.pointer + b * blockChannels * ho * wo + y * wo
                        var x = 0
                        while x < wo {
                            let x0 = min(x, wo - step)  // the last block overlaps instead of running past
                            #if arch(x86_64)
                            if wide {
                                if single {
                                    avx512DirectKernel1x64(row + x0, planeStride: height * width, rowStride: width,
                                                           channels: channels, kernel: k, weight: w, bias: bb[0], output: out + x0)
                                } else {
                                    avx512DirectKernel8x32(row + x0, planeStride: height * width, rowStride: width,
                                                           channels: channels, kernel: k, weight: w, bias: bb, tile: tile)
                                    for j in 0..<valid { (out + j * ho * wo + x0).update(from: tile + 32 * j, count: 32) }
                                }
                                x = x0 + step
                                continue
                            }
                            #endif
                            if single {
                                directKernel1x32(row + x0, planeStride: height * width, rowStride: width, channels: channels,
                                                 kernel: k, weight: w, bias: bb[0], output: out + x0)
                                x = x0 + 32
                            } else {
                                directKernel6x16(row + x0, planeStride: height * width, rowStride: width, channels: channels,
                                                 kernel: k, weight: w, bias: bb, tile: tile)
                                for j in 0..<valid { (out + j * ho * wo + x0).update(from: tile + 16 * j, count: 16) }
                                x = x0 + 16
                            }
                        }
                        for j in 0..<valid { epilogueSerial(out + j * ho * wo, nil, activation, wo) }
                    }
                }
            }
        }
    }
}

/// 6 output channels × 16 pixels of one row: tile[16·j + i] = bias[j] + Σ_c,ky,kx w·in.
@inline(__always)
private func directKernel6x16(_ input: UnsafePointer<Float>, planeStride: Int, rowStride: Int, channels: Int, kernel k: Int,
                              weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, tile: UnsafeMutablePointer<Float>) {
    var c00 = SIMD8<Float>(repeating: bias[0]), c01 = c00
    var c10 = SIMD8<Float>(repeating: bias[1]), c11 = c10
    var c20 = SIMD8<Float>(repeating: bias[2]), c21 = c20
    var c30 = SIMD8<Float>(repeating: bias[3]), c31 = c30
    var c40 = SIMD8<Float>(repeating: bias[4]), c41 = c40
    var c50 = SIMD8<Float>(repeating: bias[5]), c51 = c50
    var wp = weight
    var plane = input
    for _ in 0..<channels {
        var row = plane
        for _ in 0..<k {
            for kx in 0..<k {
                let raw = UnsafeRawPointer(row + kx)
                let v0 = raw.loadUnaligned(as: SIMD8<Float>.self)
                let v1 = raw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                var b = SIMD8<Float>(repeating: wp[0]); c00 = c00.addingProduct(b, v0); c01 = c01.addingProduct(b, v1)
                b = SIMD8<Float>(repeating: wp[1]); c10 = c10.addingProduct(b, v0); c11 = c11.addingProduct(b, v1)
                b = SIMD8<Float>(repeating: wp[2]); c20 = c20.addingProduct(b, v0); c21 = c21.addingProduct(b, v1)
                b = SIMD8<Float>(repeating: wp[3]); c30 = c30.addingProduct(b, v0); c31 = c31.addingProduct(b, v1)
                b = SIMD8<Float>(repeating: wp[4]); c40 = c40.addingProduct(b, v0); c41 = c41.addingProduct(b, v1)
                b = SIMD8<Float>(repeating: wp[5]); c50 = c50.addingProduct(b, v0); c51 = c51.addingProduct(b, v1)
                wp += 6
            }
            row += rowStride
        }
        plane += planeStride
    }
    let t = UnsafeMutableRawPointer(tile)
    t.storeBytes(of: c00, toByteOffset: 0, as: SIMD8<Float>.self); t.storeBytes(of: c01, toByteOffset: 32, as: SIMD8<Float>.self)
    t.storeBytes(of: c10, toByteOffset: 64, as: SIMD8<Float>.self); t.storeBytes(of: c11, toByteOffset: 96, as: SIMD8<Float>.self)
    t.storeBytes(of: c20, toByteOffset: 128, as: SIMD8<Float>.self); t.storeBytes(of: c21, toByteOffset: 160, as: SIMD8<Float>.self)
    t.storeBytes(of: c30, toByteOffset: 192, as: SIMD8<Float>.self); t.storeBytes(of: c31, toByteOffset: 224, as: SIMD8<Float>.self)
    t.storeBytes(of: c40, toByteOffset: 256, as: SIMD8<Float>.self); t.storeBytes(of: c41, toByteOffset: 288, as: SIMD8<Float>.self)
    t.storeBytes(of: c50, toByteOffset: 320, as: SIMD8<Float>.self); t.storeBytes(of: c51, toByteOffset: 352, as: SIMD8<Float>.self)
}

/// 1 output channel × 32 pixels of one row, written to `output`.
@inline(__always)
private func directKernel1x32(_ input: UnsafePointer<Float>, planeStride: Int, rowStride: Int, channels: Int, kernel k: Int,
                              weight: UnsafePointer<Float>, bias: Float, output: UnsafeMutablePointer<Float>) {
    var a0 = SIMD8<Float>(repeating: bias), a1 = a0, a2 = a0, a3 = a0
    var wp = weight
    var plane = input
    for _ in 0..<channels {
        var row = plane
        for _ in 0..<k {
            for kx in 0..<k {
                let raw = UnsafeRawPointer(row + kx)
                let b = SIMD8<Float>(repeating: wp[0])
                a0 = a0.addingProduct(b, raw.loadUnaligned(as: SIMD8<Float>.self))
                a1 = a1.addingProduct(b, raw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
                a2 = a2.addingProduct(b, raw.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self))
                a3 = a3.addingProduct(b, raw.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self))
                wp += 1
            }
            row += rowStride
        }
        plane += planeStride
    }
    let o = UnsafeMutableRawPointer(output)
    o.storeBytes(of: a0, toByteOffset: 0, as: SIMD8<Float>.self); o.storeBytes(of: a1, toByteOffset: 32, as: SIMD8<Float>.self)
    o.storeBytes(of: a2, toByteOffset: 64, as: SIMD8<Float>.self); o.storeBytes(of: a3, toByteOffset: 96, as: SIMD8<Float>.self)
}
