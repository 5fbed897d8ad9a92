import TensorCore
import XCTest

/// The Monodepth2 `layers.py` composites (MONODEPTH2.md §3) built from TensorCore ops only, with
/// no hand-written gradient, against ../shared/reference/torch/layers. These compositions are
/// reference sketches for the training code, which owns the real ones.
final class CompositeParityTests: XCTestCase {
    static let caseNames: Set<String> = [
        "ssim", "ssim_similar", "smooth_loss", "smooth_loss_normalised", "disp_to_depth", "rot_from_axisangle",
        "rot_from_axisangle_small", "transformation_from_parameters", "transformation_from_parameters_invert",
        "backproject_project_sample",
    ]

    /// layers.SSIM: clamp((1 − SSIM)/2, 0, 1) per pixel and channel.
    static func ssim(_ x: Tensor, _ y: Tensor) -> Tensor {
        let xp = reflectionPad2d(x, padding: 1), yp = reflectionPad2d(y, padding: 1)
        func pool(_ t: Tensor) -> Tensor { avgPool2d(t, kernel: 3, stride: 1) }
        let muX = pool(xp), muY = pool(yp)
        let sigmaX = pool(xp.squared()) - muX.squared()
        let sigmaY = pool(yp.squared()) - muY.squared()
        let sigmaXY = pool(xp * yp) - muX * muY
        let c1: Float = 0.01 * 0.01, c2: Float = 0.03 * 0.03
        let n = (2 * muX * muY + c1) * (2 * sigmaXY + c2)
        let d = (muX.squared() + muY.squared() + c1) * (sigmaX + sigmaY + c2)
        return ((1 - n / d) / 2).clamped(min: 0, max: 1)
    }

    /// layers.get_smooth_loss.
    static func smoothLoss(_ disp: Tensor, _ img: Tensor) -> Tensor {
        func dx(_ t: Tensor) -> Tensor { t.narrowed(3, start: 0, length: t.shape[3] - 1) - t.narrowed(3, start: 1, length: t.shape[3] - 1) }
        func dy(_ t: Tensor) -> Tensor { t.narrowed(2, start: 0, length: t.shape[2] - 1) - t.narrowed(2, start: 1, length: t.shape[2] - 1) }
        let imgX = dx(img).abs().mean(axes: [1], keepingDimensions: true)
        let imgY = dy(img).abs().mean(axes: [1], keepingDimensions: true)
        return (dx(disp).abs() * (-imgX).exp()).mean() + (dy(disp).abs() * (-imgY).exp()).mean()
    }

    /// layers.rot_from_axisangle: (B,1,3) → (B,4,4).
    static func rotation(_ vec: Tensor) -> Tensor {
        let b = vec.shape[0]
        let angle = vec.squared().sum(axes: [2], keepingDimensions: true).sqrt()
        let axis = vec / (angle + 1e-7)
        let ca = angle.cos(), sa = angle.sin()
        let c = 1 - ca
        let x = axis.narrowed(2, start: 0, length: 1), y = axis.narrowed(2, start: 1, length: 1), z = axis.narrowed(2, start: 2, length: 1)
        let xs = x * sa, ys = y * sa, zs = z * sa
        let xC = x * c, yC = y * c, zC = z * c
        let xyC = x * yC, yzC = y * zC, zxC = z * xC
        let zero = Tensor.zeros([b, 1, 1]), one = Tensor.ones([b, 1, 1])
        let entries = [x * xC + ca, xyC - zs, zxC + ys, zero,
                       xyC + zs, y * yC + ca, yzC - xs, zero,
                       zxC - ys, yzC + xs, z * zC + ca, zero,
                       zero, zero, zero, one]
        return concat(entries, axis: 2).reshaped([b, 4, 4])
    }

    /// layers.transformation_from_parameters.
    static func transformation(_ axisangle: Tensor, _ translation: Tensor, invert: Bool) -> Tensor {
        var r = rotation(axisangle)
        var t = translation
        if invert {
            r = r.transposed(1, 2)
            t = -t
        }
        let b = t.shape[0]
        let zero = Tensor.zeros([b, 1, 1]), one = Tensor.ones([b, 1, 1])
        let tx = t.narrowed(2, start: 0, length: 1), ty = t.narrowed(2, start: 1, length: 1), tz = t.narrowed(2, start: 2, length: 1)
        let m = concat([one, zero, zero, tx, zero, one, zero, ty, zero, zero, one, tz, zero, zero, zero, one], axis: 2)
            .reshaped([b, 4, 4])
        return invert ? matmul(r, m) : matmul(m, r)
    }

    func testSSIM() throws {
        for name in ["ssim", "ssim_similar"] {
            try LayerFixture.load(name).check { i in try ["out": Self.ssim(i.tensor("x"), i.tensor("y"))] }
        }
    }

    func testSmoothLoss() throws {
        try LayerFixture.load("smooth_loss").check { i in try ["out": Self.smoothLoss(i.tensor("disp"), i.tensor("img")).reshaped([1])] }
        try LayerFixture.load("smooth_loss_normalised").check { i in
            let d = try i.tensor("disp")
            let normalised = d / (d.mean(axes: [2], keepingDimensions: true).mean(axes: [3], keepingDimensions: true) + 1e-7)
            return try ["out": Self.smoothLoss(normalised, i.tensor("img")).reshaped([1])]
        }
    }

    func testDispToDepth() throws {
        try LayerFixture.load("disp_to_depth").check { i in
            let minDisp: Float = 1 / 100, maxDisp: Float = 1 / 0.1
            let scaled = try minDisp + (maxDisp - minDisp) * i.tensor("disp")
            return ["out": scaled, "depth": 1 / scaled]
        }
    }

    func testRotationAndTransformation() throws {
        for name in ["rot_from_axisangle", "rot_from_axisangle_small"] {
            try LayerFixture.load(name).check { i in try ["out": Self.rotation(i.tensor("vec"))] }
        }
        try LayerFixture.load("transformation_from_parameters").check { i in
            try ["out": Self.transformation(i.tensor("axisangle"), i.tensor("translation"), invert: false)]
        }
        try LayerFixture.load("transformation_from_parameters_invert").check { i in
            try ["out": Self.transformation(i.tensor("axisangle"), i.tensor("translation"), invert: true)]
        }
    }

    func testBackprojectProjectSample() throws {
        try LayerFixture.load("backproject_project_sample").check { i in
            let depth = try i.tensor("depth"), k = try i.tensor("K"), invK = try i.tensor("inv_K"), t = try i.tensor("T"), img = try i.tensor("img")
            let (b, h, w) = (depth.shape[0], depth.shape[2], depth.shape[3])
            // BackprojectDepth: pixel grid (x = column, y = row, 1), row-major.
            var grid = [Float]()
            grid += (0..<(h * w)).map { Float($0 % w) }
            grid += (0..<(h * w)).map { Float($0 / w) }
            grid += [Float](repeating: 1, count: h * w)
            let pix = Tensor(shape: [1, 3, h * w], scalars: grid).expanded(to: [b, 3, h * w])
            let ones = Tensor.ones([b, 1, h * w])
            let cam3 = depth.reshaped([b, 1, -1]) * matmul(invK.narrowed(1, start: 0, length: 3).narrowed(2, start: 0, length: 3), pix)
            let camPoints = concat([cam3, ones], axis: 1)
            // Project3D.
            let p = matmul(k, t).narrowed(1, start: 0, length: 3)
            let c = matmul(p, camPoints)
            let uv = c.narrowed(1, start: 0, length: 2) / (c.narrowed(1, start: 2, length: 1) + 1e-7)
            let scale = Tensor(shape: [2], scalars: [Float(w - 1), Float(h - 1)])
            let pixCoords = (uv.reshaped([b, 2, h, w]).permuted([0, 2, 3, 1]) / scale - 0.5) * 2
            return ["out": gridSample(img, grid: pixCoords), "cam_points": camPoints, "pix_coords": pixCoords]
        }
    }
}
