import ArrayIO
import Foundation
import TensorCore
import XCTest

/// One case of ../shared/reference/torch/layers (index.json): inputs, expected outputs, G
/// tensors and gradients of Σ_outputs sum(output ⊙ G) (see the fixture README).
public struct LayerFixture {
    public let name: String
    public let tolerance: Float
    public let inputShapes: [String: [Int]]
    public let outputShapes: [String: [Int]]
    public let gradientNames: [String]

    public static func load(_ name: String) throws -> LayerFixture {
        let data = try Data(contentsOf: Fixtures.reference("torch/layers/index.json"))
        let index = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let entry = try XCTUnwrap(index[name] as? [String: Any], "no fixture case \(name)")
        let tolerance = try XCTUnwrap(entry["tolerance_max_abs_over_max_magnitude"] as? Double)
        let inputs = try XCTUnwrap(entry["inputs"] as? [String: [Int]])
        let outputs = try XCTUnwrap(entry["outputs"] as? [String: [Int]])
        let grads = try XCTUnwrap(entry["grads"] as? [String])
        return LayerFixture(name: name, tolerance: Float(tolerance), inputShapes: inputs, outputShapes: outputs,
                            gradientNames: grads.map { String($0.dropFirst("grad_".count)) })
    }

    /// All case names in index.json.
    public static func allNames() throws -> [String] {
        let data = try Data(contentsOf: Fixtures.reference("torch/layers/index.json"))
        let index = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return Array(index.keys)
    }

    public func array(_ file: String) throws -> NDArray { try Fixtures.npy("torch/layers/\(name)/\(file).npy") }

    public func tensor(_ file: String) throws -> Tensor {
        let a = try array(file)
        switch a.elementType {
        case .int64: return Tensor(shape: a.shape, int64s: a.values(as: Int64.self))
        default: return Tensor(shape: a.shape, scalars: a.floatValues())
        }
    }

    /// Runs `body` on the case's inputs (those with listed gradients watched on a tape), checks
    /// every output and every gradient at the case tolerance (rel-to-max).
    public func check(file: StaticString = #filePath, line: UInt = #line,
                      _ body: ([String: Tensor]) throws -> [String: Tensor]) throws {
        let tape = Tape()
        var inputs: [String: Tensor] = [:]
        for (key, shape) in inputShapes {
            let t = try tensor("in_" + key)
            XCTAssertEqual(t.shape, shape, "\(name): input \(key) shape", file: file, line: line)
            inputs[key] = gradientNames.contains(key) ? tape.watch(t) : t
        }
        let outputs = try body(inputs)
        XCTAssertEqual(Set(outputs.keys), Set(outputShapes.keys), "\(name): output names", file: file, line: line)
        var loss: Tensor?
        for (key, shape) in outputShapes {
            guard let out = outputs[key] else { continue }
            XCTAssertEqual(out.shape, shape, "\(name): output \(key) shape", file: file, line: line)
            let expected = try array(key)
            assertClose(out.scalars(), expected.floatValues(), "\(name) \(key)", file: file, line: line)
            if out.isTracked {
                let g = try tensor(key == "out" ? "G" : "G_" + key)
                let term = (out * g).sum()
                loss = loss.map { $0 + term } ?? term
            }
        }
        guard !gradientNames.isEmpty else { return }
        let grads = tape.backward(try XCTUnwrap(loss, "\(name): no tracked output"))
        for key in gradientNames {
            let expected = try array("grad_" + key)
            guard let g = grads[try XCTUnwrap(inputs[key])] else {
                XCTFail("\(name): no gradient for \(key)", file: file, line: line)
                continue
            }
            XCTAssertEqual(g.shape, expected.shape, "\(name): grad \(key) shape", file: file, line: line)
            assertClose(g.scalars(), expected.floatValues(), "\(name) grad_\(key)", file: file, line: line)
        }
    }

    public func assertClose(_ actual: [Float], _ expected: [Float], _ label: String, file: StaticString, line: UInt) {
        XCTAssertEqual(actual.count, expected.count, "\(label): element count", file: file, line: line)
        guard actual.count == expected.count else { return }
        let c = compare(actual, expected)
        XCTAssertLessThanOrEqual(c.relativeToMax, tolerance, "\(label): \(c) (tolerance \(tolerance))", file: file, line: line)
    }
}
