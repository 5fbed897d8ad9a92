/// The parts of ONNX's `ModelProto` (onnx/onnx.proto) that an exported network needs: a graph of
/// standard-domain nodes, raw float/int64 initialisers, typed inputs and outputs (a symbolic batch
/// dimension), one opset import and string metadata. Plain values; `serialized()` encodes them.
public struct ONNXModel: Sendable {
    public var irVersion: Int
    public var opsetVersion: Int
    public var producerName: String
    public var producerVersion: String
    public var docString: String
    public var graph: ONNXGraph
    /// `metadata_props`, in order.
    public var metadata: [(key: String, value: String)]

    public init(irVersion: Int, opsetVersion: Int, producerName: String, producerVersion: String, docString: String,
                graph: ONNXGraph, metadata: [(key: String, value: String)]) {
        self.irVersion = irVersion
        self.opsetVersion = opsetVersion
        self.producerName = producerName
        self.producerVersion = producerVersion
        self.docString = docString
        self.graph = graph
        self.metadata = metadata
    }
}

public struct ONNXGraph: Sendable {
    public var name: String
    public var nodes: [ONNXNode] = []
    public var initializers: [ONNXInitializer] = []
    public var inputs: [ONNXValueInfo] = []
    public var outputs: [ONNXValueInfo] = []

    public init(name: String) { self.name = name }
}

public struct ONNXNode: Sendable {
    public var name: String
    public var opType: String
    public var inputs: [String]
    public var outputs: [String]
    public var attributes: [ONNXAttribute]
    public var docString: String

    public init(name: String, opType: String, inputs: [String], outputs: [String], attributes: [ONNXAttribute] = [],
                docString: String = "") {
        self.name = name
        self.opType = opType
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
        self.docString = docString
    }
}

public struct ONNXAttribute: Sendable {
    public enum Value: Sendable, Equatable {
        case int(Int)
        case float(Float)
        case string(String)
        case ints([Int])
    }

    public var name: String
    public var value: Value

    public init(_ name: String, _ value: Value) {
        self.name = name
        self.value = value
    }
}

/// A constant tensor of the graph (weights, shapes, scales), stored as `raw_data`.
public struct ONNXInitializer: Sendable {
    public enum Values: Sendable, Equatable {
        case float([Float])
        case int64([Int64])
    }

    public var name: String
    public var dims: [Int]
    public var values: Values
    public var docString: String

    public init(name: String, dims: [Int], values: Values, docString: String = "") {
        self.name = name
        self.dims = dims
        self.values = values
        self.docString = docString
    }
}

/// One graph input or output: a float32 tensor whose dimensions are fixed or named (the batch, `N`).
public struct ONNXValueInfo: Sendable {
    public enum Dimension: Sendable, Equatable {
        case fixed(Int)
        case symbolic(String)
    }

    public var name: String
    public var dims: [Dimension]
    public var docString: String

    public init(name: String, dims: [Dimension], docString: String = "") {
        self.name = name
        self.dims = dims
        self.docString = docString
    }
}
