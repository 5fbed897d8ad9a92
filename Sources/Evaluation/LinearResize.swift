import ImageIO

/// `cv2.resize(x, (width, height))` (INTER_LINEAR) of one disparity map in the prediction's type.
/// float32 goes to ImageIO's `FloatMap.resizedBilinearOpenCV` (IPP's fused-lerp arithmetic, bit
/// exact with pip OpenCV on every KITTI evaluation size). float64 (the original's post-processed
/// predictions) has no ImageIO variant, so the same two-pass fused lerp runs here in double
/// (cv2's float64 path agrees to ~1e-13 relative).
enum LinearResize {
    static func resize(_ source: [Float], width: Int, height: Int, toWidth: Int, toHeight: Int) -> [Float] {
        FloatMap(width: width, height: height, values: source).resizedBilinearOpenCV(width: toWidth, height: toHeight).values
    }

    static func resize(_ source: [Double], width: Int, height: Int, toWidth outputWidth: Int, toHeight outputHeight: Int) -> [Double] {
        precondition(source.count == width * height && width > 0 && height > 0 && outputWidth > 0 && outputHeight > 0,
                     "LinearResize: \(source.count) values for \(height)x\(width) -> \(outputHeight)x\(outputWidth)")
        let (xIndex, xWeight) = taps(source: width, destination: outputWidth)
        let (yIndex, yWeight) = taps(source: height, destination: outputHeight)
        var rows = [Double](repeating: 0, count: height * outputWidth)
        var output = [Double](repeating: 0, count: outputWidth * outputHeight)
        source.withUnsafeBufferPointer { src in
            rows.withUnsafeMutableBufferPointer { rowBuffer in
                for sy in 0..<height {
                    for dx in 0..<outputWidth {
                        let a = src[sy * width + xIndex[dx]], b = src[sy * width + min(xIndex[dx] + 1, width - 1)]
                        rowBuffer[sy * outputWidth + dx] = a.addingProduct(b - a, xWeight[dx])
                    }
                }
                output.withUnsafeMutableBufferPointer { out in
                    for dy in 0..<outputHeight {
                        let top = yIndex[dy] * outputWidth, bottom = min(yIndex[dy] + 1, height - 1) * outputWidth
                        for dx in 0..<outputWidth {
                            let a = rowBuffer[top + dx]
                            out[dy * outputWidth + dx] = a.addingProduct(rowBuffer[bottom + dx] - a, yWeight[dy])
                        }
                    }
                }
            }
        }
        return output
    }

    /// Left source index and weight per destination coordinate: x = (d + 0.5) * in / out - 0.5,
    /// clamped to the edges with weight 0.
    static func taps(source: Int, destination: Int) -> ([Int], [Double]) {
        let scale = Double(source) / Double(destination)
        var indices = [Int](repeating: 0, count: destination)
        var weights = [Double](repeating: 0, count: destination)
        for d in 0..<destination {
            let x = (Double(d) + 0.5) * scale - 0.5
            let floorX = x.rounded(.down)
            var s = Int(floorX), w = x - floorX
            if s < 0 { s = 0; w = 0 }
            if s >= source - 1 { s = source - 1; w = 0 }
            indices[d] = s
            weights[d] = w
        }
        return (indices, weights)
    }
}
