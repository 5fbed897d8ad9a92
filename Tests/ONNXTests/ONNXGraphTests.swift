import Networks
import ONNX
import Options
import TensorCore
import XCTest

/// The exported graphs read back with our own protobuf reader (no Python): opset and IR version,
/// inputs and outputs with their shapes and the symbolic batch, every node's inputs defined before
/// use, standard operators only, initialisers named by the checkpoint keys and holding the folded
/// weights bit for bit, metadata. ONNX Runtime's numbers are checked by Tests/Tools/check-onnx.py.
final class ONNXGraphTests: XCTestCase {
    static let standardOps: Set<String> = ["Conv", "Relu", "MaxPool", "Add", "Sub", "Div", "Mul", "Elu", "Pad", "Resize", "Concat",
                                           "Sigmoid", "ReduceMean", "Reshape", "Slice", "Transpose", "ReduceSumSquare", "Sqrt",
                                           "Sin", "Cos"]

    /// Scratch weights with BatchNorm statistics that are not the identity, so folding shows.
    static func models(_ depth: ResNetDepth, pose: PoseNetworkConfiguration?, scales: [Int] = [0, 1, 2, 3]) -> MonodepthModels {
        let models = MonodepthModels(configuration: ModelSetConfiguration(resnetDepth: depth, scales: scales, pose: pose),
                                     initialisation: .scratch(generatorSeed: 7))
        for (_, module) in models.named {
            for (index, m) in module.modules().enumerated() {
                guard let norm = m as? BatchNorm2d else { continue }
                let c = norm.runningMean.value.shape[0]
                norm.runningMean.value = Tensor(shape: [c], scalars: (0..<c).map { Float(($0 + index) % 7) * 0.03 - 0.1 })
                norm.runningVariance.value = Tensor(shape: [c], scalars: (0..<c).map { 0.5 + Float(($0 * 3 + index) % 5) * 0.2 })
            }
        }
        models.eval()
        return models
    }

    static func settings(opset: Int = 17, allScales: Bool = false) -> ModelExport.Settings {
        ModelExport.Settings(height: 64, width: 96, opset: opset, minDepth: 0.1, maxDepth: 100, useStereo: true, allScales: allScales)
    }

    /// Checks what every exported graph must satisfy; returns it read back.
    @discardableResult
    func checkWellFormed(_ model: ONNXModel, opset: Int = 17, file: StaticString = #filePath, line: UInt = #line) throws -> ReadBackModel {
        let read = try ReadBackModel(model.serialized())
        XCTAssertEqual(read.opsets.map(\.domain), [""], file: file, line: line)
        XCTAssertEqual(read.opsets.map(\.version), [opset], file: file, line: line)
        XCTAssertEqual(read.irVersion, ModelExport.irVersion(opset: opset), file: file, line: line)
        XCTAssertEqual(read.producerName, "monodepth2-swift", file: file, line: line)
        XCTAssertEqual(read.producerVersion, ModelExport.producerVersion, file: file, line: line)
        XCTAssertEqual(read.metadata["height"], "64", file: file, line: line)
        XCTAssertEqual(read.metadata["width"], "96", file: file, line: line)
        XCTAssertEqual(read.metadata["min_depth"], "0.1", file: file, line: line)
        XCTAssertEqual(read.metadata["max_depth"], "100.0", file: file, line: line)
        XCTAssertEqual(read.metadata["use_stereo"], "true", file: file, line: line)
        XCTAssertEqual(read.metadata["stereo_scale_factor"], "5.4", file: file, line: line)
        XCTAssertEqual(read.metadata["producer"], "monodepth2-swift \(ModelExport.producerVersion)", file: file, line: line)
        // Topological order, unique names, every input defined, every output produced.
        var defined = Set(read.inputs.map(\.name)).union(read.initializers.map(\.name))
        XCTAssertEqual(Set(read.initializers.map(\.name)).count, read.initializers.count, "duplicate initialisers", file: file, line: line)
        XCTAssertEqual(Set(read.nodes.map(\.name)).count, read.nodes.count, "duplicate node names", file: file, line: line)
        for node in read.nodes {
            for input in node.inputs where !input.isEmpty {
                XCTAssertTrue(defined.contains(input), "\(node.name) reads \(input) before it is defined", file: file, line: line)
            }
            XCTAssertTrue(Self.standardOps.contains(node.opType), "\(node.name): \(node.opType)", file: file, line: line)
            for output in node.outputs {
                XCTAssertFalse(defined.contains(output), "\(output) defined twice", file: file, line: line)
                defined.insert(output)
            }
        }
        for output in read.outputs { XCTAssertTrue(defined.contains(output.name), "output \(output.name) never produced", file: file, line: line) }
        // No dead nodes: every node output is read by a node or is a graph output.
        let used = Set(read.nodes.flatMap(\.inputs)).union(read.outputs.map(\.name))
        for node in read.nodes { XCTAssertTrue(used.contains(node.outputs[0]), "dead node \(node.name)", file: file, line: line) }
        for initializer in read.initializers {
            let count = initializer.dims.reduce(1, *) * (initializer.dataType == 7 ? 8 : 4)
            XCTAssertEqual(initializer.raw.count, count, initializer.name, file: file, line: line)
            XCTAssertTrue(used.contains(initializer.name), "unused initialiser \(initializer.name)", file: file, line: line)
        }
        return read
    }

    func testDepthGraphResNet18() throws {
        let models = Self.models(.resnet18, pose: nil)
        let read = try checkWellFormed(ModelExport.depthModel(models, settings: Self.settings()))
        XCTAssertEqual(read.inputs.map(\.name), ["image"])
        XCTAssertEqual(read.inputs[0].dims, ["N", "3", "64", "96"])
        XCTAssertEqual(read.inputs[0].elementType, 1)
        XCTAssertEqual(read.outputs.map(\.name), ["disp"])
        XCTAssertEqual(read.outputs[0].dims, ["N", "1", "64", "96"])
        // 20 encoder convs (stem, 16 in blocks, 3 shortcuts), 10 decoder convs, 1 dispconv.
        XCTAssertEqual(read.nodes("Conv").count, 31)
        XCTAssertEqual(read.nodes("Resize").count, 5)
        XCTAssertEqual(read.nodes("Pad").count, 11)
        XCTAssertEqual(read.nodes("Sigmoid").map(\.name), ["disp"])
        XCTAssertEqual(read.metadata["num_layers"], "18")

        // The folded weights, bit for bit, under the checkpoint's keys.
        let resnet = models.encoder.resnet
        let folded = foldBatchNorm(resnet.conv1, resnet.bn1)
        let conv1 = try XCTUnwrap(read.initializer("encoder.conv1.weight"))
        XCTAssertEqual(conv1.dims, [64, 3, 7, 7])
        XCTAssertEqual(conv1.floats.map(\.bitPattern), folded.weight.scalars().map(\.bitPattern))
        XCTAssertEqual(try XCTUnwrap(read.initializer("encoder.bn1.bias")).floats.map(\.bitPattern),
                       try XCTUnwrap(folded.bias).scalars().map(\.bitPattern))
        XCTAssertNotEqual(conv1.floats, resnet.conv1.weight.value.scalars(), "BatchNorm was not folded")
        let decoder0 = try XCTUnwrap(read.initializer("decoder.0.conv.conv.weight"))
        XCTAssertEqual(decoder0.dims, [256, 512, 3, 3])
        XCTAssertEqual(decoder0.floats, models.depth.upconvs[4].0.conv.conv.weight.value.scalars())
        // Every weight is named by a state-dict key (folded biases by their BatchNorm's bias key); fc is not exported.
        let keys = Set(models.encoder.stateEntries().map(\.key) + models.depth.stateEntries().map(\.key))
        for initializer in read.initializers where initializer.name.hasPrefix("encoder.") || initializer.name.hasPrefix("decoder.") {
            XCTAssertTrue(keys.contains(initializer.name), initializer.name)
        }
        XCTAssertFalse(read.initializers.contains { $0.name.hasPrefix("encoder.fc") })
        // Nearest 2x upsampling as PyTorch's, reflection padding, the normalisation constants.
        let resize = try XCTUnwrap(read.nodes("Resize").first)
        XCTAssertEqual(resize.attributes["mode"]?.string(4), "nearest")
        XCTAssertEqual(resize.attributes["coordinate_transformation_mode"]?.string(4), "asymmetric")
        XCTAssertEqual(resize.attributes["nearest_mode"]?.string(4), "floor")
        XCTAssertEqual(read.initializer(resize.inputs[2])?.floats, [1, 1, 2, 2])
        XCTAssertEqual(read.nodes("Pad").first?.attributes["mode"]?.string(4), "reflect")
        XCTAssertEqual(read.initializer("normalise.mean")?.floats, [0.45])
        XCTAssertEqual(read.initializer("normalise.std")?.floats, [0.225])
    }

    func testAllScalesAddsTheCoarserDisparities() throws {
        let models = Self.models(.resnet18, pose: nil)
        let read = try checkWellFormed(ModelExport.depthModel(models, settings: Self.settings(allScales: true)))
        XCTAssertEqual(read.outputs.map(\.name), ["disp", "disp_1", "disp_2", "disp_3"])
        XCTAssertEqual(read.outputs.map(\.dims), [["N", "1", "64", "96"], ["N", "1", "32", "48"], ["N", "1", "16", "24"], ["N", "1", "8", "12"]])
    }

    func testSeparateResNet50Pose() throws {
        let models = Self.models(.resnet50, pose: .separatePairs)
        let depth = try checkWellFormed(ModelExport.depthModel(models, settings: Self.settings()))
        // ResNet-50: stem, 16 bottlenecks × 3, 4 shortcuts = 53 convs; decoder 10 + 1.
        XCTAssertEqual(depth.nodes("Conv").count, 64)
        XCTAssertEqual(depth.metadata["num_layers"], "50")
        let pose = try checkWellFormed(try XCTUnwrap(ModelExport.poseModel(models, settings: Self.settings())))
        XCTAssertEqual(pose.inputs.map(\.name), ["frames"])
        XCTAssertEqual(pose.inputs[0].dims, ["N", "6", "64", "96"])
        XCTAssertEqual(pose.outputs.map(\.name), ["axisangle", "translation", "transformation"])
        XCTAssertEqual(pose.outputs.map(\.dims), [["N", "2", "1", "3"], ["N", "2", "1", "3"], ["N", "4", "4"]])
        XCTAssertEqual(pose.nodes("Conv").count, 53 + 4)
        XCTAssertEqual(pose.initializer("encoder.conv1.weight")?.dims, [64, 6, 7, 7])
        XCTAssertEqual(pose.initializer("net.3.weight")?.dims, [12, 256, 1, 1])
        XCTAssertEqual(pose.metadata["pose_model_type"], "separate_resnet")
        // opset 17: ReduceMean's axes are an attribute.
        XCTAssertEqual(pose.nodes("ReduceMean").map { $0.attributes["axes"]?.ints(8) ?? [] }, [[3], [2]])
    }

    func testPoseCNNAndSharedPose() throws {
        let cnn = try checkWellFormed(try XCTUnwrap(ModelExport.poseModel(Self.models(.resnet18, pose: PoseNetworkConfiguration(type: .posecnn, inputFrames: 2)),
                                                                          settings: Self.settings())))
        XCTAssertEqual(cnn.nodes("Conv").count, 8)
        XCTAssertEqual(cnn.outputs.map(\.dims), [["N", "1", "1", "3"], ["N", "1", "1", "3"], ["N", "4", "4"]])
        XCTAssertEqual(cnn.initializer("pose_conv.weight")?.dims, [6, 256, 1, 1])
        XCTAssertEqual(cnn.metadata["pose_model_type"], "posecnn")

        let shared = try checkWellFormed(try XCTUnwrap(ModelExport.poseModel(Self.models(.resnet18, pose: PoseNetworkConfiguration(type: .shared, inputFrames: 2)),
                                                                             settings: Self.settings())))
        // The depth encoder once (frames stacked on the batch axis), then the decoder on both frames' features.
        XCTAssertEqual(shared.nodes("Conv").count, 20 + 4)
        XCTAssertEqual(shared.initializer("encoder.conv1.weight")?.dims, [64, 3, 7, 7])
        XCTAssertEqual(shared.initializer("net.1.weight")?.dims, [256, 512, 3, 3])
        XCTAssertEqual(shared.nodes("Transpose").count, 2)
        XCTAssertEqual(shared.outputs.map(\.dims), [["N", "1", "1", "3"], ["N", "1", "1", "3"], ["N", "4", "4"]])
        XCTAssertNil(ModelExport.poseModel(Self.models(.resnet18, pose: nil), settings: Self.settings()))
    }

    func testOpset13And18() throws {
        let models = Self.models(.resnet18, pose: PoseNetworkConfiguration(type: .posecnn, inputFrames: 2))
        try checkWellFormed(ModelExport.depthModel(models, settings: Self.settings(opset: 13)), opset: 13)
        let pose18 = try checkWellFormed(try XCTUnwrap(ModelExport.poseModel(models, settings: Self.settings(opset: 18))), opset: 18)
        // From opset 18 the reduction axes are an input.
        for node in pose18.nodes("ReduceMean") + pose18.nodes("ReduceSumSquare") {
            XCTAssertNil(node.attributes["axes"], node.name)
            XCTAssertEqual(node.inputs.count, 2, node.name)
        }
        XCTAssertEqual(ModelExport.irVersion(opset: 13), 7)
        XCTAssertEqual(ModelExport.irVersion(opset: 17), 8)
        XCTAssertEqual(ModelExport.irVersion(opset: 21), 10)
    }
}
