import ArrayIO
import Foundation
import KITTIData
import Kernels
import Networks
import Options
import ParityWeights
import TensorCore
import TestSupport
import Training
import XCTest

/// ../shared/reference/torch/loss: the inputs of the one-step fixtures (64×192, batch 2, frames
/// 0 −1 1 s, four scales), losses.json, and steps built on formula weights (salt md2-parity).
enum LossFixture {
    static let height = 64, width = 192, batchSize = 2

    static func tensor(_ relativePath: String) throws -> Tensor {
        let a = try Fixtures.npy("torch/loss/\(relativePath).npy")
        return Tensor(shape: a.shape, scalars: a.floatValues())
    }

    /// The saved batch (`inputs/`): color_{f}_{s}, K_{s}, inv_K_{s}, stereo_T; `colorAug` (nil: the
    /// same images, as in the fixture) is what the networks see.
    static func inputs(colorAug: [Training.FrameID: [Tensor]]? = nil) throws -> Batch {
        var color: [Training.FrameID: [Tensor]] = [:]
        for (f, name) in [(Training.FrameID.offset(0), "0"), (.offset(-1), "-1"), (.offset(1), "1"), (.stereo, "s")] {
            color[f] = try (0..<4).map { try tensor("inputs/color_\(name)_\($0)") }
        }
        return Batch(color: color, colorAug: colorAug, K: try (0..<4).map { try tensor("inputs/K_\($0)") },
                     invK: try (0..<4).map { try tensor("inputs/inv_K_\($0)") }, stereoT: try tensor("inputs/stereo_T"))
    }

    /// losses.json.
    static func document() throws -> [String: Any] {
        let data = try Data(contentsOf: Fixtures.reference("torch/loss/losses.json"))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The fixture's configuration (mono+stereo, zero tie-break noise) changed by `edit`.
    static func configuration(_ edit: (inout StepConfiguration) -> Void = { _ in }) -> StepConfiguration {
        var c = StepConfiguration(height: height, width: width, batchSize: batchSize, frameOffsets: [0, -1, 1], useStereo: true,
                                  tieBreakNoise: false)
        edit(&c)
        return c
    }

    /// A step whose networks all hold formula weights.
    static func step(_ configuration: StepConfiguration, adamRule: AdamRule = .modern) -> MonodepthStep {
        let models = MonodepthModels(configuration: configuration.modelSet, initialisation: .placeholder)
        for (_, module) in models.named { FormulaWeights.fill(module) }
        return MonodepthStep(configuration: configuration, models: models, adamRule: adamRule)
    }

    /// A variant's argv (the original's options, e.g. losses.json's `argv`) parsed by the shared
    /// options parser and validated as `train` does, with the tie-break noise off.
    static func configuration(argv: [String]) throws -> StepConfiguration {
        let options = try MonodepthOptions.parse(argv, program: "test")
        try options.validate(for: .training)
        return StepConfiguration(options: options, tieBreakNoise: false)
    }
}

/// Per-parameter gradient L2 norms of a step's models, as losses.json's `grad_l2_norms`.
func parameterGradientNorms(_ models: MonodepthModels) -> [String: [String: Double]] {
    var out: [String: [String: Double]] = [:]
    for (name, module) in models.named {
        var norms: [String: Double] = [:]
        for (key, p) in module.namedParameters() {
            guard let g = p.grad else { continue }
            norms[key] = g.scalars().reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        }
        out[name.rawValue] = norms
    }
    return out
}

/// Asserts a loss within `relative` of the reference.
func assertRelative(_ actual: Float, _ expected: Double, _ relative: Double, _ label: String,
                    file: StaticString = #filePath, line: UInt = #line) {
    let error = abs(Double(actual) - expected) / abs(expected)
    if ProcessInfo.processInfo.environment["MD2_PRINT_ERRORS"] == "1" {
        print("[error] \(label): got \(actual), expected \(expected), relative \(error)")
    }
    XCTAssertLessThanOrEqual(error, relative, "\(label): got \(actual), expected \(expected)", file: file, line: line)
}

/// rel-to-max and relative L2 distance of two arrays.
func relativeErrors<A: BinaryFloatingPoint, E: BinaryFloatingPoint>(_ actual: [A], _ expected: [E]) -> (relToMax: Double, relL2: Double) {
    var maxAbs = 0.0, maxRef = 0.0, diff2 = 0.0, ref2 = 0.0
    for (a, e) in zip(actual, expected) {
        let d = Double(a) - Double(e)
        maxAbs = max(maxAbs, abs(d)); maxRef = max(maxRef, abs(Double(e)))
        diff2 += d * d; ref2 += Double(e) * Double(e)
    }
    return (maxAbs / max(maxRef, 1e-30), (diff2 / max(ref2, 1e-60)).squareRoot())
}

/// Compares per-parameter gradient norms with the reference: the worst |Δ| / (network total norm)
/// and the median relative difference.
func assertGradientNorms(_ actual: [String: [String: Double]], _ expected: [String: Any], perNetwork: Double, median: Double,
                         _ label: String, file: StaticString = #filePath, line: UInt = #line) {
    var worst = 0.0, worstKey = ""
    var relatives: [Double] = []
    for (network, value) in expected {
        guard let keys = value as? [String: Any] else { continue }
        let total = keys.values.compactMap { $0 as? Double }.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for (key, ref) in keys {
            guard let ref = ref as? Double else {
                XCTAssertNil(actual[network]?[key], "\(label): \(network).\(key) has no gradient in the reference", file: file, line: line)
                continue
            }
            guard let got = actual[network]?[key] else {
                XCTFail("\(label): no gradient for \(network).\(key)", file: file, line: line)
                continue
            }
            let e = abs(got - ref) / total
            if e > worst { worst = e; worstKey = "\(network).\(key) got \(got) expected \(ref)" }
            if ref > 0 { relatives.append(abs(got - ref) / ref) }
        }
    }
    relatives.sort()
    let med = relatives.isEmpty ? 0 : relatives[relatives.count / 2]
    if ProcessInfo.processInfo.environment["MD2_PRINT_ERRORS"] == "1" {
        print("[error] \(label): worst |Δ|/network norm \(worst) (\(worstKey)); median relative \(med)")
    }
    XCTAssertLessThanOrEqual(worst, perNetwork, "\(label): \(worstKey)", file: file, line: line)
    XCTAssertLessThanOrEqual(med, median, "\(label): median relative grad-norm difference", file: file, line: line)
}
