import ArrayIO
import Foundation
import Networks
import TensorCore
import TestSupport
import XCTest

/// A `.npy` fixture under ../shared/reference/torch/forward as a float32 tensor (skips the test when absent).
func forwardFixture(_ name: String) throws -> Tensor {
    let array = try Fixtures.npy("torch/forward/\(name).npy")
    return Tensor(shape: array.shape, scalars: array.floatValues())
}

/// Asserts equal shapes, then max|actual − expected| ≤ tolerance · max|expected| over every element.
func assertRelativeToMax(_ actual: Tensor, _ expected: Tensor, _ tolerance: Float, _ label: String,
                         file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, expected.shape, "\(label): shape", file: file, line: line)
    guard actual.shape == expected.shape else { return }
    let c = compare(actual.scalars(), expected.scalars())
    reportComparison(label, c)
    XCTAssertLessThanOrEqual(c.relativeToMax, tolerance, "\(label): \(c)", file: file, line: line)
}

/// Asserts equal shapes, then max|actual − expected| ≤ tolerance over every element.
func assertMaxAbsolute(_ actual: Tensor, _ expected: Tensor, _ tolerance: Float, _ label: String,
                       file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, expected.shape, "\(label): shape", file: file, line: line)
    guard actual.shape == expected.shape else { return }
    let c = compare(actual.scalars(), expected.scalars())
    reportComparison(label, c)
    XCTAssertLessThanOrEqual(c.maxAbsoluteError, tolerance, "\(label): \(c)", file: file, line: line)
}

/// With MD2_PRINT_ERRORS=1 in the environment, prints every comparison (to record the margins).
func reportComparison(_ label: String, _ c: Comparison) {
    if ProcessInfo.processInfo.environment["MD2_PRINT_ERRORS"] == "1" { print("[error] \(label): \(c)") }
}

/// Networks with default structure and formula weights (salt md2-parity), in eval mode.
enum FormulaNetworks {
    static func encoder(_ depth: ResNetDepth = .resnet18, inputImages: Int = 1) -> ResnetEncoder {
        let encoder = ResnetEncoder(depth: depth, inputImages: inputImages)
        FormulaWeights.fill(encoder)
        encoder.eval()
        return encoder
    }

    static func depthDecoder(channels: [Int] = ResNetDepth.resnet18.featureChannels) -> DepthDecoder {
        let decoder = DepthDecoder(encoderChannels: channels)
        FormulaWeights.fill(decoder)
        decoder.eval()
        return decoder
    }

    static func poseDecoder() -> PoseDecoder {
        let decoder = PoseDecoder(encoderChannels: ResNetDepth.resnet18.featureChannels, inputFeatures: 1, frames: 2)
        FormulaWeights.fill(decoder)
        decoder.eval()
        return decoder
    }
}

/// A fresh empty folder under the temporary directory, removed by the caller.
func temporaryFolder(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("md2-networks-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs `body` on the case's inputs (watched on a tape), compares every output and the gradients
/// of Σ_outputs sum(output ⊙ G) with rel-to-max `tolerance_max_abs_over_max_magnitude`.
func checkLayerCase(_ name: String, _ body: ([String: Tensor]) throws -> [String: Tensor],
                    file: StaticString = #filePath, line: UInt = #line) throws {
    let data = try Fixtures.data("torch/layers/index.json")
    let index = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let entry = try XCTUnwrap(index[name] as? [String: Any])
    let tolerance = Float(try XCTUnwrap(entry["tolerance_max_abs_over_max_magnitude"] as? Double))
    let inputNames = try XCTUnwrap(entry["inputs"] as? [String: [Int]])
    let outputNames = try XCTUnwrap(entry["outputs"] as? [String: [Int]])
    func load(_ file: String) throws -> Tensor {
        let a = try Fixtures.npy("torch/layers/\(name)/\(file).npy")
        return Tensor(shape: a.shape, scalars: a.floatValues())
    }
    let tape = Tape()
    var inputs: [String: Tensor] = [:]
    for key in inputNames.keys { inputs[key] = tape.watch(try load("in_" + key)) }
    let outputs = try body(inputs)
    var loss: Tensor?
    for (key, shape) in outputNames {
        let out = try XCTUnwrap(outputs[key], "\(name): output \(key)")
        XCTAssertEqual(out.shape, shape, file: file, line: line)
        assertRelativeToMax(out, try load(key), tolerance, "\(name) \(key)", file: file, line: line)
        let term = (out * (try load(key == "out" ? "G" : "G_" + key))).sum()
        loss = loss.map { $0 + term } ?? term
    }
    let grads = tape.backward(try XCTUnwrap(loss))
    for key in inputNames.keys {
        let g = try XCTUnwrap(grads[try XCTUnwrap(inputs[key])], "\(name): no gradient for \(key)")
        assertRelativeToMax(g, try load("grad_" + key), tolerance, "\(name) grad \(key)", file: file, line: line)
    }
}
