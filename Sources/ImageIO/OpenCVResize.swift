import Kernels

extension FloatMap {
    /// `cv2.resize(map, (width, height))` with the default `INTER_LINEAR` on a float32 map, bit for bit
    /// with OpenCV 5.0 (checked on upsampling, downsampling, exact 2x shrinking and identity sizes):
    /// per axis `scale = Double(in) / Double(out)`, source position `(d + 0.5) * scale - 0.5`
    /// in double, `s = floor`, fraction `f = Float(position - s)`; `s < 0` clamps to (0, f = 0) and
    /// `s >= in - 1` to (in - 1, f = 0); each pass is the fused lerp `fma(b - a, f, a)` in float,
    /// horizontal first, then vertical. This is how `evaluate` brings every disparity to the ground
    /// truth size.
    ///
    /// - Precondition: `width >= 1`, `height >= 1` and the map is not empty.
    public func resizedBilinearOpenCV(width newWidth: Int, height newHeight: Int) -> FloatMap {
        precondition(newWidth >= 1 && newHeight >= 1 && width >= 1 && height >= 1,
                     "FloatMap.resizedBilinearOpenCV: \(width)x\(height) -> \(newWidth)x\(newHeight) needs positive sizes")
        let columns = OpenCVLinearAxis(inputSize: width, outputSize: newWidth)
        let rows = OpenCVLinearAxis(inputSize: height, outputSize: newHeight)
        var output = [Float](repeating: 0, count: newWidth * newHeight)
        let inWidth = width
        values.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                columns.lower.withUnsafeBufferPointer { x0 in
                    columns.fraction.withUnsafeBufferPointer { fx in
                        let src = source.baseAddress!
                        let dst = destination.baseAddress!
                        let x0p = x0.baseAddress!
                        let fxp = fx.baseAddress!
                        let work = newWidth * newHeight * 4
                        let run = { (outputRows: Range<Int>) in
                            // Two horizontally resampled source rows, reused while consecutive output
                            // rows read the same pair.
                            let upper = UnsafeMutablePointer<Float>.allocate(capacity: newWidth)
                            let lower = UnsafeMutablePointer<Float>.allocate(capacity: newWidth)
                            defer { upper.deallocate(); lower.deallocate() }
                            var upperRow = -1, lowerRow = -1
                            for y in outputRows {
                                let r0 = rows.lower[y], r1 = min(r0 + 1, rows.inputSize - 1)
                                if upperRow != r0 {
                                    if lowerRow == r0 {
                                        upper.update(from: lower, count: newWidth)
                                    } else {
                                        Self.horizontalRow(src + r0 * inWidth, upper, newWidth,
                                                           x0p, fxp, inWidth)
                                    }
                                    upperRow = r0
                                }
                                if lowerRow != r1 {
                                    Self.horizontalRow(src + r1 * inWidth, lower, newWidth,
                                                       x0p, fxp, inWidth)
                                    lowerRow = r1
                                }
                                let f = rows.fraction[y]
                                let out = dst + y * newWidth
                                for x in 0..<newWidth {
                                    let a = upper[x]
                                    out[x] = a.addingProduct(lower[x] - a, f)
                                }
                            }
                        }
                        if work < 2_000_000 {
                            run(0..<newHeight)
                        } else {
                            Parallel.forEachRange(newHeight, on: .dispatch, run)
                        }
                    }
                }
            }
        }
        return FloatMap(width: newWidth, height: newHeight, values: output)
    }

    @inline(__always)
    private static func horizontalRow(_ input: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                                      _ count: Int, _ lower: UnsafePointer<Int>, _ fraction: UnsafePointer<Float>,
                                      _ inWidth: Int) {
        let last = inWidth - 1
        for x in 0..<count {
            let s = lower[x]
            let a = input[s]
            let b = input[min(s + 1, last)]
            out[x] = a.addingProduct(b - a, fraction[x])
        }
    }
}

/// OpenCV's per-axis INTER_LINEAR table: left source index and float fraction per output index.
struct OpenCVLinearAxis {
    let inputSize: Int
    var lower: [Int]
    var fraction: [Float]

    init(inputSize: Int, outputSize: Int) {
        self.inputSize = inputSize
        // The pip OpenCV build (IPP path) behaves like scale = ssize / dsize; 1 / (dsize / ssize), as
        // resize.cpp writes it, differs in the last bit for some sizes (22 of 300 random upscales).
        let scale = Double(inputSize) / Double(outputSize)
        lower = [Int](repeating: 0, count: outputSize)
        fraction = [Float](repeating: 0, count: outputSize)
        for index in 0..<outputSize {
            let position = (Double(index) + 0.5) * scale - 0.5
            var s = Int(position.rounded(.down))
            var f = Float(position - Double(s))
            if s < 0 { s = 0; f = 0 }
            if s >= inputSize - 1 { s = inputSize - 1; f = 0 }
            lower[index] = s
            fraction[index] = f
        }
    }
}
