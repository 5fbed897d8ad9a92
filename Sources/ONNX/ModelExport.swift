import Networks

/// Builds `depth.onnx` and `pose.onnx` from loaded networks (`WeightsFolder.loadInferringArchitecture`).
///
/// Choices, so that a consumer knows what the numbers are:
/// - BatchNorm is folded into the convolution before it (evaluation mode, running statistics), with
///   the same rule and float32 arithmetic as our inference path (`foldBatchNorm`), so the exported
///   weights are exactly the ones `demo` and `evaluate` run; against an unfolded forward the folding
///   moves disparities by about 1e-7 (float32 rounding).
/// - Standard-domain operators only: Conv, Relu, MaxPool, Add, Sub, Div, Mul, Elu, Pad (reflect),
///   Resize (nearest 2×, asymmetric/floor = PyTorch's nearest), Concat, Sigmoid, ReduceMean,
///   Reshape, Slice, Transpose, and for the 4×4 transformation ReduceSumSquare, Sqrt, Sin, Cos.
/// - The batch dimension is symbolic (`N`); height and width are fixed at export.
public enum ModelExport {
    /// The producer name and version written into every model (bump the version when the exported
    /// graph changes).
    public static let producerName = "monodepth2-swift"
    public static let producerVersion = "1.0.0"
    /// The opsets the exporter writes: 13 (ONNX 1.8) … 21.
    public static let supportedOpsets = 13...21
    /// opset 17: ONNX Runtime ≥ 1.11, TensorRT ≥ 8.6, OpenVINO ≥ 2022.1 import it.
    public static let defaultOpset = 17
    /// evaluate_depth.py's STEREO_SCALE_FACTOR.
    public static let stereoScaleFactor = 5.4

    /// What the exported models are for: the input size and the disparity→depth mapping.
    public struct Settings: Sendable {
        public var height: Int
        public var width: Int
        public var opset: Int
        public var minDepth: Double
        public var maxDepth: Double
        public var useStereo: Bool
        /// Also output the disparities at scales 1, 2, 3 (`disp_1` …) where the decoder has them.
        public var allScales: Bool

        public init(height: Int, width: Int, opset: Int = ModelExport.defaultOpset, minDepth: Double = 0.1, maxDepth: Double = 100,
                    useStereo: Bool, allScales: Bool = false) {
            self.height = height
            self.width = width
            self.opset = opset
            self.minDepth = minDepth
            self.maxDepth = maxDepth
            self.useStereo = useStereo
            self.allScales = allScales
        }
    }

    /// The IR version that goes with `opset` (onnx.helper.VERSION_TABLE).
    public static func irVersion(opset: Int) -> Int {
        switch opset {
        case ...14: return 7
        case 15...18: return 8
        case 19...20: return 9
        default: return 10
        }
    }

    /// The name of the disparity output at `scale`: `disp`, `disp_1`, `disp_2`, `disp_3`.
    public static func disparityName(_ scale: Int) -> String { scale == 0 ? "disp" : "disp_\(scale)" }

    /// `depth.onnx`: `image` (N, 3, H, W) in [0, 1] → `disp` (N, 1, H, W), the sigmoid disparity at
    /// scale 0 (plus the coarser scales with `allScales`).
    public static func depthModel(_ models: MonodepthModels, settings: Settings) -> ONNXModel {
        var builder = GraphBuilder(name: "monodepth2_depth", opset: settings.opset)
        let (n, h, w) = (ONNXValueInfo.Dimension.symbolic("N"), settings.height, settings.width)
        builder.input("image", [n, .fixed(3), .fixed(h), .fixed(w)], doc: "RGB in [0, 1], (N, 3, H, W); normalised inside")
        let features = builder.appendEncoder(models.encoder, input: "image")
        let wanted = Set(models.depth.scales.filter { $0 == 0 || settings.allScales })
        let disparities = builder.appendDepthDecoder(models.depth, features: features, outputScales: wanted, disparityName: disparityName)
        for scale in wanted.sorted() {
            guard let name = disparities[scale] else { continue }
            builder.output(name, [n, .fixed(1), .fixed(h >> scale), .fixed(w >> scale)],
                           doc: "(\"disp\", \(scale)): sigmoid disparity in (0, 1); see metadata disp_to_depth")
        }
        return model(builder.graph, settings: settings, extra: [
            ("num_layers", "\(models.encoder.depth.rawValue)"), ("scales", models.depth.scales.map(String.init).joined(separator: ",")),
        ], doc: "Monodepth2 depth network (ResnetEncoder + DepthDecoder), BatchNorm folded")
    }

    /// `pose.onnx` for the set's pose network: `frames` (N, 3·k, H, W) in [0, 1], the k frames
    /// concatenated on channels in temporal order (trainer.py predict_poses: [frame −1, frame 0] or
    /// [frame 0, frame +1]) → `axisangle`, `translation` (N, frames, 1, 3) and `transformation`
    /// (N, 4, 4) of the first. Nil when the set has no pose network.
    public static func poseModel(_ models: MonodepthModels, settings: Settings) -> ONNXModel? {
        guard let pose = models.pose, let configuration = models.configuration.pose else { return nil }
        var builder = GraphBuilder(name: "monodepth2_pose", opset: settings.opset)
        let (n, h, w, k) = (ONNXValueInfo.Dimension.symbolic("N"), settings.height, settings.width, configuration.inputFrames)
        builder.input("frames", [n, .fixed(3 * k), .fixed(h), .fixed(w)],
                      doc: "\(k) RGB frames in [0, 1] concatenated on channels in temporal order (earlier first)")
        let outputs: (axisangle: String, translation: String)
        let frames: Int
        switch pose {
        case .cnn(let cnn):
            outputs = builder.appendPoseCNN(cnn, input: "frames")
            frames = cnn.inputFrames - 1
        case .decoder(let decoder):
            frames = decoder.frames
            let size = (h / 32, w / 32)
            if let poseEncoder = models.poseEncoder {
                let features = builder.appendEncoder(poseEncoder, input: "frames")
                outputs = builder.appendPoseDecoder(decoder, features: features[4], size: size)
            } else {
                // shared: every frame through the depth encoder, stacked frame-major on the batch axis.
                var x = builder.reshape("frames", "frames.split", [-1, k, 3, h, w])
                x = builder.node("Transpose", "frames.transpose", [x], [.init("perm", .ints([1, 0, 2, 3, 4]))])
                x = builder.reshape(x, "frames.stacked", [-1, 3, h, w])
                let features = builder.appendEncoder(models.encoder, input: x)
                outputs = builder.appendPoseDecoder(decoder, features: features[4], stackedFrames: k, size: size)
            }
        }
        let transformation = builder.appendTransformation(axisangle: outputs.axisangle, translation: outputs.translation)
        builder.output(outputs.axisangle, [n, .fixed(frames), .fixed(1), .fixed(3)], doc: "axis·angle rotations (radians)")
        builder.output(outputs.translation, [n, .fixed(frames), .fixed(1), .fixed(3)], doc: "translations (scale-ambiguous)")
        builder.output(transformation, [n, .fixed(4), .fixed(4)],
                       doc: "transformation_from_parameters(axisangle[:, 0], translation[:, 0]): cam_T_cam for [frame 0, frame +1]; "
                           + "trainer.py inverts it for [frame -1, frame 0]")
        return model(builder.graph, settings: settings, extra: [
            ("num_layers", "\(models.encoder.depth.rawValue)"), ("pose_model_type", configuration.type.rawValue),
            ("num_pose_frames", "\(k)"),
        ], doc: "Monodepth2 pose network (\(configuration.type.rawValue)), BatchNorm folded")
    }

    private static func model(_ graph: ONNXGraph, settings s: Settings, extra: [(String, String)], doc: String) -> ONNXModel {
        let metadata: [(key: String, value: String)] = [
            ("height", "\(s.height)"), ("width", "\(s.width)"),
            ("min_depth", "\(s.minDepth)"), ("max_depth", "\(s.maxDepth)"),
            ("use_stereo", s.useStereo ? "true" : "false"),
            ("stereo_scale_factor", "\(stereoScaleFactor)"),
            ("disp_to_depth", "depth = 1 / (1/max_depth + (1/min_depth - 1/max_depth) * disp); "
                + "multiply by stereo_scale_factor for metres when use_stereo is true"),
            ("input_normalisation", "(x - 0.45) / 0.225 inside the graph; feed RGB in [0, 1]"),
            ("batchnorm", "folded into the convolutions (evaluation mode, running statistics)"),
            ("producer", "\(producerName) \(producerVersion)"),
        ] + extra.map { (key: $0.0, value: $0.1) }
        return ONNXModel(irVersion: irVersion(opset: s.opset), opsetVersion: s.opset, producerName: producerName,
                         producerVersion: producerVersion, docString: doc, graph: graph, metadata: metadata)
    }
}
