import ArrayIO
import Foundation
import Networks
import ParityWeights
import TensorCore
import TestSupport
import XCTest

/// A `.npy` fixture under ../shared/reference/torch/forward as a float32 tensor.
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
