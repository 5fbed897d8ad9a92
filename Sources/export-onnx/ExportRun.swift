import ArrayIO
import CommandLineKit
import Foundation
import Networks
import ONNX

/// Loads the folder (strict, architecture from the files), builds every model in memory, and only
/// then writes each file atomically (temporary file, rename): a bad folder writes nothing.
struct ExportRun {
    let options: ExportOptions

    func run() throws {
        let o = options
        guard ModelExport.supportedOpsets.contains(o.opset) else {
            throw ToolFailure("--opset \(o.opset): supported are \(ModelExport.supportedOpsets.lowerBound) to \(ModelExport.supportedOpsets.upperBound)")
        }
        guard o.minDepth > 0, o.minDepth < o.maxDepth else {
            throw ToolFailure("--min_depth \(o.minDepth) and --max_depth \(o.maxDepth): min_depth must be positive and below max_depth")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: o.loadWeightsFolder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ToolFailure("\(o.loadWeightsFolder): weights folder not found (it should hold encoder.pth and depth.pth)")
        }
        let folder = WeightsFolder(URL(fileURLWithPath: o.loadWeightsFolder))
        let loaded = try folder.loadInferringArchitecture(pose: !o.depthOnly)
        let encoderFile = folder.fileURL(.encoder).path
        guard loaded.models.depth.scales.contains(0) else {
            throw ToolFailure("\(folder.fileURL(.depth).path): the depth decoder has no scale-0 disparity (scales \(loaded.models.depth.scales))")
        }
        guard let height = o.height ?? loaded.metadata?.height, let width = o.width ?? loaded.metadata?.width else {
            throw ToolFailure("\(encoderFile): has no 'height' and 'width' entries: pass --height and --width")
        }
        guard height % 32 == 0, width % 32 == 0, height > 0, width > 0 else {
            throw ToolFailure("--height \(height) --width \(width): both must be positive multiples of 32")
        }
        let settings = ModelExport.Settings(height: height, width: width, opset: o.opset, minDepth: o.minDepth, maxDepth: o.maxDepth,
                                            useStereo: loaded.metadata?.useStereo ?? false, allScales: o.allScales)
        let configuration = loaded.models.configuration
        print("-> Loaded ResNet-\(configuration.resnetDepth.rawValue) depth network"
              + (configuration.pose.map { ", \($0.type.rawValue) pose network (\($0.inputFrames) frames)" } ?? "")
              + " from \(o.loadWeightsFolder)")
        var files: [(name: String, bytes: [UInt8])] = [("depth.onnx", ModelExport.depthModel(loaded.models, settings: settings).serialized())]
        if let pose = ModelExport.poseModel(loaded.models, settings: settings) { files.append(("pose.onnx", pose.serialized())) }
        let output = URL(fileURLWithPath: o.outputDirectory ?? o.loadWeightsFolder)
        do {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        } catch {
            throw ToolFailure("\(output.path): cannot create the output directory (\(error.localizedDescription))")
        }
        for file in files {
            let url = output.appendingPathComponent(file.name)
            try FileBytes.write(file.bytes, to: url)
            print("   \(url.path) (\(String(format: "%.1f", Double(file.bytes.count) / 1_048_576)) MB, opset \(o.opset), "
                  + "\(width)x\(height), batch dynamic)")
        }
        if o.parityInput != nil || o.parityPoseInput != nil {
            try ParityOutputs(models: loaded.models, allScales: o.allScales)
                .write(depthInput: o.parityInput, poseInput: o.parityPoseInput, to: output.appendingPathComponent("parity"))
        }
    }
}
