import ArrayIO
import Foundation
import Networks
import ParityWeights
import TensorCore
import TestSupport
import XCTest

/// A `.npy` fixture under ../shared/reference/torch/forward as a float32 tensor (skips the test when absent).
func forwardFixture(_ name: String) throws -> Tensor {
    let array = try Fixtures.npy("torch/forward/\(name).npy")
    return Tensor(shape: array.shape, scalars: array.floatValues())
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
