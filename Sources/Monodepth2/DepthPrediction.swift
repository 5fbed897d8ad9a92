import ImageIO
import Layers
import TensorCore

/// What `DepthModel.predict` gives for one image: the network's disparity at the model's input
/// size, turned into depth with the model's depth range as the original's `disp_to_depth`, plus the
/// image it came from (for maps at the image's size, pictures and point clouds).
public struct DepthPrediction: Sendable {
    /// The image that was predicted on, at its own size.
    public let image: RGBImage
    /// The network's sigmoid output `("disp", 0)`, at the model's input size.
    let sigmoid: DepthMap
    /// The scaled disparity `1/maxDepth + (1/minDepth − 1/maxDepth) · sigmoid` at the model's input
    /// size: the numbers of `demo`'s (and `test_simple.py`'s) `NAME_disp.npy`.
    public let disparity: DepthMap
    /// The depth `1 / disparity` at the model's input size (up to scale for a monocular model).
    public let depth: DepthMap
    let minDepth: Double
    let maxDepth: Double

    init(image: RGBImage, sigmoid: DepthMap, minDepth: Double, maxDepth: Double) {
        self.image = image
        self.sigmoid = sigmoid
        self.minDepth = minDepth
        self.maxDepth = maxDepth
        let (scaled, depth) = dispToDepth(sigmoid.tensor, minDepth: minDepth, maxDepth: maxDepth)
        disparity = DepthMap(unchecked: sigmoid.width, sigmoid.height, scaled.scalars())
        self.depth = DepthMap(unchecked: sigmoid.width, sigmoid.height, depth.scalars())
    }

    /// The depth in metres for a stereo-trained model: `DepthModel.stereoScaleFactor` (5.4) × `depth`
    /// (`demo --pred_metric_depth`'s `NAME_depth.npy`). For a monocular model the result is not in
    /// metres (its scale is unknown).
    public var metricDepth: DepthMap {
        let values = (DepthModel.stereoScaleFactor * dispToDepth(sigmoid.tensor, minDepth: minDepth, maxDepth: maxDepth).depth).scalars()
        return DepthMap(unchecked: depth.width, depth.height, values)
    }

    /// The network's disparity resized (bilinear, PyTorch `align_corners=False`) to the image's size.
    var sigmoidAtImageSize: Tensor {
        resizeBilinear(sigmoid.tensor, height: image.height, width: image.width)
    }

    /// The depth at the image's own size: the disparity resized bilinearly to it, then turned into
    /// depth, times `scale` (pass `DepthModel.stereoScaleFactor` for metres from a stereo model).
    public func depthAtImageSize(scale: Float = 1) -> DepthMap {
        let depth = dispToDepth(sigmoidAtImageSize, minDepth: minDepth, maxDepth: maxDepth).depth
        return DepthMap(unchecked: image.width, image.height, (scale * depth).scalars())
    }

    /// The disparity as a picture at the image's size, in the magma colour map normalised to the
    /// 95th percentile: `demo`'s `NAME_disp.jpeg` before JPEG encoding.
    public func disparityPicture() -> RGBImage {
        let map = FloatMap(width: image.width, height: image.height, values: sigmoidAtImageSize.scalars())
        return RGBImage(decoded: Colormap.magma.colorizeDisparity(map))
    }

    /// Back-projects every pixel of the image into 3-D (Monodepth2's `BackprojectDepth`: pixel
    /// (u, v) → depth · K⁻¹ [u, v, 1]), coloured by the image: `demo --save_point_cloud`'s points.
    /// - Parameters:
    ///   - intrinsics: the camera at the image's size (default: KITTI's, scaled to the image).
    ///   - scale: multiplies the depth (`DepthModel.stereoScaleFactor` for metres from a stereo model).
    public func pointCloud(intrinsics: CameraIntrinsics? = nil, scale: Float = 1) -> DepthPointCloud {
        let depth = depthAtImageSize(scale: scale)
        let k = intrinsics ?? .kitti(width: image.width, height: image.height)
        let cloud = PointCloud(depth: FloatMap(width: depth.width, height: depth.height, values: depth.values),
                               image: image.image, intrinsics: k.pinhole)
        return DepthPointCloud(cloud)
    }
}

extension DepthMap {
    /// The map as a (1, 1, H, W) tensor.
    var tensor: Tensor { Tensor(shape: [1, 1, height, width], scalars: values) }
}
