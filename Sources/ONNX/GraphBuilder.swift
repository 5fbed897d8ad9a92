import TensorCore

/// Appends nodes and initialisers to an `ONNXGraph` under names a person can follow: a node's output
/// tensor carries the node's name (the PyTorch module path, e.g. `encoder.layer1.0.conv1`), weights
/// carry their state-dict keys. Opset-dependent spellings (ReduceMean's axes) are chosen here.
struct GraphBuilder {
    let opset: Int
    private(set) var graph: ONNXGraph
    private var constants: [String: String] = [:]

    init(name: String, opset: Int) {
        self.opset = opset
        graph = ONNXGraph(name: name)
    }

    /// Adds a node whose single output is named `name`; returns it.
    @discardableResult
    mutating func node(_ opType: String, _ name: String, _ inputs: [String], _ attributes: [ONNXAttribute] = [],
                       doc: String = "") -> String {
        graph.nodes.append(ONNXNode(name: name, opType: opType, inputs: inputs, outputs: [name], attributes: attributes,
                                    docString: doc))
        return name
    }

    /// A float initialiser holding `tensor`'s values under `name`.
    mutating func weights(_ name: String, _ tensor: Tensor, doc: String = "") -> String {
        graph.initializers.append(ONNXInitializer(name: name, dims: tensor.shape, values: .float(tensor.contiguous().scalars()),
                                                  docString: doc))
        return name
    }

    /// A shared float constant (scalar when `dims` is empty), added once per distinct value.
    mutating func floats(_ values: [Float], dims: [Int], name: String) -> String {
        let key = name + "f\(dims)\(values.map(\.bitPattern))"
        if let existing = constants[key] { return existing }
        graph.initializers.append(ONNXInitializer(name: name, dims: dims, values: .float(values)))
        constants[key] = name
        return name
    }

    /// A shared int64 constant (shapes, pads, slice bounds), added once per distinct value.
    mutating func int64s(_ values: [Int], name: String) -> String {
        let key = name + "i\(values)"
        if let existing = constants[key] { return existing }
        graph.initializers.append(ONNXInitializer(name: name, dims: [values.count], values: .int64(values.map(Int64.init))))
        constants[key] = name
        return name
    }

    mutating func input(_ name: String, _ dims: [ONNXValueInfo.Dimension], doc: String) {
        graph.inputs.append(ONNXValueInfo(name: name, dims: dims, docString: doc))
    }

    mutating func output(_ name: String, _ dims: [ONNXValueInfo.Dimension], doc: String) {
        graph.outputs.append(ONNXValueInfo(name: name, dims: dims, docString: doc))
    }

    /// A convolution with `weight`, `bias` (initialisers `key.weight`, `biasKey`), square stride
    /// and zero padding.
    mutating func conv(_ x: String, _ name: String, weight: Tensor, weightKey: String, bias: Tensor?, biasKey: String,
                       stride: Int, padding: Int, doc: String = "") -> String {
        var inputs = [x, weights(weightKey, weight)]
        if let bias { inputs.append(weights(biasKey, bias)) }
        let k = weight.shape[2]
        return node("Conv", name, inputs, [.init("kernel_shape", .ints([k, weight.shape[3]])), .init("strides", .ints([stride, stride])),
                                         .init("pads", .ints([padding, padding, padding, padding])),
                                         .init("dilations", .ints([1, 1])), .init("group", .int(1))], doc: doc)
    }

    /// `Conv3x3(use_refl=True)`'s `nn.ReflectionPad2d(1)`.
    mutating func reflectionPad1(_ x: String, _ name: String) -> String {
        node("Pad", name, [x, int64s([0, 0, 1, 1, 0, 0, 1, 1], name: "pads.reflect1")], [.init("mode", .string("reflect"))])
    }

    /// The mean over `axes` (keepdims 0): an attribute up to opset 17, an input from opset 18.
    mutating func reduceMean(_ x: String, _ name: String, axes: [Int]) -> String {
        if opset >= 18 {
            return node("ReduceMean", name, [x, int64s(axes, name: "axes.\(axes.map(String.init).joined(separator: "_"))")],
                        [.init("keepdims", .int(0))])
        }
        return node("ReduceMean", name, [x], [.init("axes", .ints(axes)), .init("keepdims", .int(0))])
    }

    /// The sum of squares over `axes` (keepdims 1): an attribute up to opset 17, an input from 18.
    mutating func reduceSumSquare(_ x: String, _ name: String, axes: [Int]) -> String {
        if opset >= 18 {
            return node("ReduceSumSquare", name, [x, int64s(axes, name: "axes.\(axes.map(String.init).joined(separator: "_"))")],
                        [.init("keepdims", .int(1))])
        }
        return node("ReduceSumSquare", name, [x], [.init("axes", .ints(axes)), .init("keepdims", .int(1))])
    }

    /// `x[..., start:end]` along `axis`.
    mutating func slice(_ x: String, _ name: String, axis: Int, start: Int, end: Int) -> String {
        node("Slice", name, [x, int64s([start], name: "slice.start\(start)"), int64s([end], name: "slice.end\(end)"),
                             int64s([axis], name: "slice.axis\(axis)")])
    }

    mutating func reshape(_ x: String, _ name: String, _ shape: [Int]) -> String {
        node("Reshape", name, [x, int64s(shape, name: "shape.\(shape.map { $0 < 0 ? "N" : String($0) }.joined(separator: "x"))")])
    }
}
