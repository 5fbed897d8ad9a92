import ArrayIO
import Foundation
import XCTest
@testable import TensorBoard

/// Opt-in: `MD2_TB_OUT=DIR swift test --filter TensorBoardInteropTests` writes a trainer-like log
/// into DIR/{train,val} plus the expected pixels (`DIR/expected/<tag>.npy`, HWC uint8) and scalars
/// (`DIR/expected/scalars.json`) for Tests/Fixtures/tensorboard/check_accumulator.py, which reads the
/// log with TensorBoard's EventAccumulator.
final class TensorBoardInteropTests: XCTestCase {
    func testWriteLogForEventAccumulator() throws {
        guard let out = ProcessInfo.processInfo.environment["MD2_TB_OUT"], !out.isEmpty else {
            throw XCTSkip("set MD2_TB_OUT to write the interop log")
        }
        let root = URL(fileURLWithPath: out)
        let expected = root.appendingPathComponent("expected")
        try FileManager.default.createDirectory(at: expected, withIntermediateDirectories: true)
        var scalars: [String: [String: [[Double]]]] = [:]
        for mode in ["train", "val"] {
            let writer = try EventFileWriter(directory: root.appendingPathComponent(mode))
            for step in [0, 250, 500, 2000] {
                for (index, tag) in ["loss", "loss/0", "loss/3", "de/abs_rel", "da/a1"].enumerated() {
                    let value = Double(Float(1 / Double(step + index + 1) + (mode == "val" ? 0.5 : 0)))
                    try writer.addScalar(tag, value, step: step)
                    scalars[mode, default: [:]][tag, default: []].append([Double(step), value])
                }
            }
            // A 3-channel colour image and a 1-channel disparity at 192x640 and 24x80 (scale 3).
            for (tag, channels, height, width) in [("color_0_0/0", 3, 192, 640), ("disp_3/1", 1, 24, 80)] {
                let plane = height * width
                var values = [Float](repeating: 0, count: channels * plane)
                for c in 0..<channels {
                    for y in 0..<height {
                        for x in 0..<width {
                            values[c * plane + y * width + x] = Float((x * (c + 1) + 3 * y) % 300) / 290 - 0.01
                        }
                    }
                }
                if channels == 1 { values = SummaryImage.minMaxNormalized(values) }
                let image = try SummaryImage(chw: values, channels: channels, height: height, width: width)
                try writer.addImage(tag, image, step: 250)
                let pixels = try SummaryImage.pixels(chw: values, channels: channels, height: height, width: width)
                let name = mode + "_" + tag.replacingOccurrences(of: "/", with: "_") + ".npy"
                try NPY.write(NDArray(elementType: .uint8, shape: [height, width, pixels.channels], bytes: pixels.pixels),
                              to: expected.appendingPathComponent(name))
            }
            writer.close()
        }
        let json = try JSONSerialization.data(withJSONObject: scalars, options: [.sortedKeys])
        try json.write(to: expected.appendingPathComponent("scalars.json"))
    }
}
