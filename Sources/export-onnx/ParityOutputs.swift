import ArrayIO
import CommandLineKit
import Foundation
import Layers
import Networks
import ONNX
import TensorCore

/// Our own forward on given inputs, written as .npy beside the exported models, for comparing with
/// ONNX Runtime (Tests/Tools/check-onnx.py): the depth network as `demo` and `evaluate` run it
/// (`DepthInference`), the pose network as `evaluate --eval_pose` and the trainer run it.
struct ParityOutputs {
    let models: MonodepthModels
    let allScales: Bool

    func write(depthInput: String?, poseInput: String?, to folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ToolFailure("\(folder.path): cannot create the folder (\(error.localizedDescription))")
        }
        if let depthInput {
            let image = try read(depthInput, channels: 3)
            let outputs = DepthInference(encoder: models.encoder, decoder: models.depth)(image)
            for scale in outputs.scales where scale == 0 || allScales {
                try NPY.write(NDArray(outputs.disparity(scale: scale)), to: folder.appendingPathComponent(ModelExport.disparityName(scale) + ".npy"))
            }
        }
        if let poseInput, let pose = models.pose, let configuration = models.configuration.pose {
            let k = configuration.inputFrames
            let frames = try read(poseInput, channels: 3 * k)
            let outputs: PoseOutputs
            switch pose {
            case .cnn(let cnn): outputs = cnn(frames)
            case .decoder(let decoder):
                if let poseEncoder = models.poseEncoder {
                    outputs = decoder([EncoderInference(poseEncoder)(frames)])
                } else {
                    let encoder = EncoderInference(models.encoder)
                    outputs = decoder((0..<k).map { encoder(frames.narrowed(1, start: 3 * $0, length: 3).contiguous()) })
                }
            }
            let b = frames.shape[0]
            let first = { (t: Tensor) in t.narrowed(1, start: 0, length: 1).contiguous().reshaped([b, 1, 3]) }
            let transformation = transformationFromParameters(axisangle: first(outputs.axisangle), translation: first(outputs.translation))
            try NPY.write(NDArray(outputs.axisangle.contiguous()), to: folder.appendingPathComponent("axisangle.npy"))
            try NPY.write(NDArray(outputs.translation.contiguous()), to: folder.appendingPathComponent("translation.npy"))
            try NPY.write(NDArray(transformation), to: folder.appendingPathComponent("transformation.npy"))
        }
    }

    private func read(_ path: String, channels: Int) throws -> Tensor {
        let array = try NPY.read(contentsOf: URL(fileURLWithPath: path))
        guard array.shape.count == 4, array.shape[1] == channels, array.shape[2] % 32 == 0, array.shape[3] % 32 == 0 else {
            throw ToolFailure("\(path): shape \(array.shape), expected (N, \(channels), H, W) with H and W multiples of 32")
        }
        return Tensor(array)
    }
}
