import TensorCore
import TestSupport
import XCTest

/// Parity with ../shared/reference/torch/layers for every plain-op case: outputs and gradients
/// of Σ out ⊙ G, at each case's `tolerance_max_abs_over_max_magnitude` (rel-to-max).
final class LayerParityTests: XCTestCase {
    static let convCases: [(String, stride: Int, padding: Int)] = [
        ("conv3x3_s1_p1_bias", 1, 1), ("conv3x3_s2_p1", 2, 1), ("conv3x3_s2_p1_odd", 2, 1),
        ("conv7x7_s2_p3", 2, 3), ("conv7x7_s2_p3_6ch", 2, 3), ("conv1x1_s1_bias", 1, 0),
        ("conv1x1_s2", 2, 0), ("conv3x3_s1_p1_wide", 1, 1),
    ]

    func testConvolutions() throws {
        for (name, stride, padding) in Self.convCases {
            try LayerFixture.load(name).check { i in
                try ["out": conv2d(i.tensor("x"), weight: i.tensor("w"), bias: i["b"], stride: stride, padding: padding)]
            }
        }
    }

    func testConvolutionAfterReflectionPad() throws {
        try LayerFixture.load("conv3x3_reflectpad_bias").check { i in
            try ["out": conv2d(reflectionPad2d(i.tensor("x"), padding: 1), weight: i.tensor("w"), bias: i["b"])]
        }
    }

    func testBatchNormTraining() throws {
        try LayerFixture.load("batchnorm_train").check { i in
            let c = try i.tensor("x").shape[1]
            let (y, running) = try batchNormTraining(i.tensor("x"), weight: i["w"], bias: i["b"],
                                                 runningMean: Tensor.zeros([c]), runningVariance: Tensor.ones([c]))
            return ["out": y, "running_mean_after": running.mean, "running_var_after": running.variance]
        }
    }

    func testBatchNormEvaluation() throws {
        try LayerFixture.load("batchnorm_eval").check { i in
            try ["out": batchNormInference(i.tensor("x"), weight: i["w"], bias: i["b"], runningMean: i.tensor("rm"), runningVariance: i.tensor("rv"))]
        }
    }

    func testMaxPool() throws {
        for name in ["maxpool3x3_s2_p1", "maxpool3x3_s2_p1_ties"] {
            try LayerFixture.load(name).check { i in try ["out": maxPool2d(i.tensor("x"), kernel: 3, stride: 2, padding: 1)] }
        }
    }

    func testAvgPoolPadAndNearest() throws {
        try LayerFixture.load("avgpool3x3_s1").check { i in try ["out": avgPool2d(i.tensor("x"), kernel: 3, stride: 1)] }
        try LayerFixture.load("reflection_pad1").check { i in try ["out": reflectionPad2d(i.tensor("x"), padding: 1)] }
        try LayerFixture.load("upsample_nearest2").check { i in try ["out": upsampleNearest2d(i.tensor("x"), factor: 2)] }
    }

    func testBilinearResize() throws {
        for name in ["bilinear_up_align_false", "bilinear_up8_align_false", "bilinear_nonint_align_false",
                     "bilinear_down_align_false"] {
            let fixture = try LayerFixture.load(name)
            let size = try XCTUnwrap(fixture.outputShapes["out"], name)
            try fixture.check { i in try ["out": resizeBilinear(i.tensor("x"), height: size[2], width: size[3])] }
        }
    }

    func testActivations() throws {
        try LayerFixture.load("elu").check { i in try ["out": i.tensor("x").elu()] }
        try LayerFixture.load("sigmoid").check { i in try ["out": i.tensor("x").sigmoid()] }
        try LayerFixture.load("relu").check { i in try ["out": i.tensor("x").relu()] }
    }

    func testGridSample() throws {
        try LayerFixture.load("grid_sample_border_align_true").check { i in try ["out": gridSample(i.tensor("x"), grid: i.tensor("grid"))] }
    }

    func testMinAndMean() throws {
        try LayerFixture.load("min_dim1_ties").check { i in try ["out": i.tensor("x").min(axis: 1).values] }
        try LayerFixture.load("mean_keepdim_dim1").check { i in try ["out": i.tensor("x").mean(axes: [1], keepingDimensions: true)] }
    }

    /// Every case in index.json is covered: the TensorCore ops here, layers.py's functions in
    /// LayersTests, the trainer's normalised smoothness in TrainingTests' LossTermTests.
    /// The cases of layers.py's functions (LayersTests) and of the trainer's losses (TrainingTests).
    static let layersCases: Set<String> = [
        "ssim", "ssim_similar", "smooth_loss", "smooth_loss_normalised", "disp_to_depth", "rot_from_axisangle",
        "rot_from_axisangle_small", "transformation_from_parameters", "transformation_from_parameters_invert",
        "backproject_project_sample",
    ]

    func testEveryFixtureCaseIsCovered() throws {
        let covered: Set<String> = Set(Self.convCases.map(\.0)).union([
            "conv3x3_reflectpad_bias", "batchnorm_train", "batchnorm_eval", "maxpool3x3_s2_p1", "maxpool3x3_s2_p1_ties",
            "avgpool3x3_s1", "reflection_pad1", "upsample_nearest2", "bilinear_up_align_false", "bilinear_up8_align_false",
            "bilinear_nonint_align_false", "bilinear_down_align_false", "elu", "sigmoid", "relu",
            "grid_sample_border_align_true", "min_dim1_ties", "mean_keepdim_dim1",
        ]).union(Self.layersCases)
        let names = try LayerFixture.allNames()
        XCTAssertEqual(Set(names).subtracting(covered), [])
    }
}
