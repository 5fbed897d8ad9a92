import Foundation
import ImageIO
import KITTIData
import Networks
import TensorCore

/// A trained Monodepth2 depth network (ResNet encoder + depth decoder), ready to predict: what the
/// original's `test_simple.py` runs, with the same numbers as the `demo` tool.
///
/// ```swift
/// let model = try DepthModel(weightsFolder: URL(fileURLWithPath: "models/mono+stereo_640x192"))
/// let prediction = try model.predict(contentsOf: URL(fileURLWithPath: "assets/test_image.jpg"))
/// try prediction.disparity.writeNPY(to: URL(fileURLWithPath: "test_image_disp.npy"))  // = demo's
/// ```
///
/// Each image is LANCZOS-resized (Pillow's filter, bit for bit) to the size the model was trained
/// at, predicted on the CPU, and returned at that size (`DepthPrediction`). Nothing is printed.
/// A model is not safe to share between threads that predict at the same time: give each thread
/// its own (the weights are read-only, the prediction itself runs on several cores).
public final class DepthModel {
    /// `evaluate_depth.py`'s STEREO_SCALE_FACTOR: metres per unit of a stereo-trained model's depth.
    public static let stereoScaleFactor: Float = 5.4

    /// The width the model was trained at (`encoder.pth`'s `width`); every input is resized to it.
    public let inputWidth: Int
    /// The height the model was trained at (`encoder.pth`'s `height`).
    public let inputHeight: Int
    /// Whether the model was trained with stereo pairs (`encoder.pth`'s `use_stereo`; false when
    /// absent): only then is `DepthPrediction.metricDepth` in metres.
    public let trainedWithStereo: Bool
    /// The depth range that scales the network's sigmoid output (`--min_depth`, `--max_depth`).
    public let minDepth: Double
    /// The far end of the depth range.
    public let maxDepth: Double

    let predictor: DepthInference

    /// Loads `encoder.pth` and `depth.pth` from a weights folder: an official pretrained model
    /// unzipped (`models/mono_640x192/`) or a folder `train` writes (`log_dir/NAME/models/weights_N/`).
    /// The ResNet depth (18, 34, 50, 101, 152) is recognised from the checkpoint.
    /// - Parameters:
    ///   - minDepth: the near end of the depth range the network was trained with (default 0.1).
    ///   - maxDepth: the far end (default 100).
    /// - Throws: `Monodepth2Error` naming the folder or file: not found, unreadable, not a depth
    ///   model, no trained size, or a depth range that is not `0 < minDepth < maxDepth`.
    public init(weightsFolder url: URL, minDepth: Double = 0.1, maxDepth: Double = 100) throws(Monodepth2Error) {
        guard minDepth > 0, minDepth < maxDepth, maxDepth.isFinite else {
            throw .invalidArgument("min depth \(minDepth) and max depth \(maxDepth): min depth must be positive and below max depth")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .weightsFolderNotFound(path: url.path)
        }
        let folder = WeightsFolder(url)
        let encoderFile = folder.fileURL(.encoder).path
        let models = MonodepthModels(configuration: .depth(), initialisation: .placeholder)
        let metadata: EncoderMetadata
        do {
            guard let read = try folder.load(models.encoder, as: .encoder).metadata else { throw Monodepth2Error.missingTrainedSize(file: encoderFile) }
            metadata = read
        } catch let error as Monodepth2Error {
            throw error
        } catch {
            throw .checkpoint(file: encoderFile, problem: "\(error)")
        }
        guard metadata.height % 32 == 0, metadata.width % 32 == 0 else {
            throw .unsupportedTrainedSize(file: encoderFile, width: metadata.width, height: metadata.height)
        }
        do { try folder.load(models.depth, as: .depth) } catch {
            throw .checkpoint(file: folder.fileURL(.depth).path, problem: error.description)
        }
        inputWidth = metadata.width
        inputHeight = metadata.height
        trainedWithStereo = metadata.useStereo
        self.minDepth = minDepth
        self.maxDepth = maxDepth
        predictor = DepthInference(encoder: models.encoder, decoder: models.depth)
    }

    /// Reads a JPEG or PNG file and predicts its depth.
    /// - Throws: `Monodepth2Error.unreadableImage` naming the file.
    public func predict(contentsOf url: URL) throws(Monodepth2Error) -> DepthPrediction {
        predict(try RGBImage(contentsOf: url))
    }

    /// Predicts the depth of one image (any size: it is resized to `inputWidth × inputHeight`).
    public func predict(_ image: RGBImage) -> DepthPrediction {
        predict([image])[0]
    }

    /// Predicts a batch in one forward pass (images of any sizes; each is resized to the model's).
    /// The results are those of predicting each image alone. An empty batch gives an empty array.
    public func predict(_ images: [RGBImage]) -> [DepthPrediction] {
        guard !images.isEmpty else { return [] }
        let resized = images.map { image in
            image.image.resized(width: inputWidth, height: inputHeight, filter: .lanczos)
        }
        let disparity = predictor(ImageTensor.batch(resized)).disparity(scale: 0).scalars()  // (B, 1, h, w)
        let plane = inputWidth * inputHeight
        return images.enumerated().map { index, image in
            let values = Array(disparity[(index * plane)..<((index + 1) * plane)])
            return DepthPrediction(image: image, sigmoid: DepthMap(unchecked: inputWidth, inputHeight, values),
                                   minDepth: minDepth, maxDepth: maxDepth)
        }
    }
}
