import Codecs

/// ONNX's field numbers (onnx/onnx.proto, a proto2 file: repeated scalars are written unpacked, one
/// key per element, which every reader accepts) and element types.
extension ONNXModel {
    /// TensorProto.DataType.
    enum ElementType: Int {
        case float = 1, int64 = 7
    }

    /// The `ModelProto` bytes of the model (what a `.onnx` file holds).
    public func serialized() -> [UInt8] {
        var model = ProtobufWriter()
        model.appendInt(1, Int64(irVersion))
        model.appendString(2, producerName)
        model.appendString(3, producerVersion)
        if !docString.isEmpty { model.appendString(6, docString) }
        model.appendMessage(7, graph.encoded())
        var opset = ProtobufWriter()
        opset.appendString(1, "")
        opset.appendInt(2, Int64(opsetVersion))
        model.appendMessage(8, opset)
        for entry in metadata {
            var pair = ProtobufWriter()
            pair.appendString(1, entry.key)
            pair.appendString(2, entry.value)
            model.appendMessage(14, pair)
        }
        return model.bytes
    }
}

extension ONNXGraph {
    func encoded() -> ProtobufWriter {
        var graph = ProtobufWriter()
        for node in nodes { graph.appendMessage(1, node.encoded()) }
        graph.appendString(2, name)
        for initializer in initializers { graph.appendMessage(5, initializer.encoded()) }
        for input in inputs { graph.appendMessage(11, input.encoded()) }
        for output in outputs { graph.appendMessage(12, output.encoded()) }
        return graph
    }
}

extension ONNXNode {
    func encoded() -> ProtobufWriter {
        var node = ProtobufWriter()
        for input in inputs { node.appendString(1, input) }
        for output in outputs { node.appendString(2, output) }
        node.appendString(3, name)
        node.appendString(4, opType)
        for attribute in attributes { node.appendMessage(5, attribute.encoded()) }
        if !docString.isEmpty { node.appendString(6, docString) }
        return node
    }
}

extension ONNXAttribute {
    /// AttributeProto: name (1), the value field, type (20: FLOAT 1, INT 2, STRING 3, INTS 7).
    func encoded() -> ProtobufWriter {
        var attribute = ProtobufWriter()
        attribute.appendString(1, name)
        let type: Int64
        switch value {
        case .float(let f): attribute.appendFloat(2, f); type = 1
        case .int(let i): attribute.appendInt(3, Int64(i)); type = 2
        case .string(let s): attribute.appendString(4, s); type = 3
        case .ints(let list): for i in list { attribute.appendInt(8, Int64(i)) }; type = 7
        }
        attribute.appendInt(20, type)
        return attribute
    }
}

extension ONNXInitializer {
    /// TensorProto: dims (1), data_type (2), name (8), raw_data (9, little-endian), doc_string (12).
    func encoded() -> ProtobufWriter {
        var tensor = ProtobufWriter()
        for d in dims { tensor.appendInt(1, Int64(d)) }
        switch values {
        case .float(let floats):
            tensor.appendInt(2, Int64(ONNXModel.ElementType.float.rawValue))
            tensor.appendString(8, name)
            tensor.appendFloatsAsBytes(9, floats)
        case .int64(let ints):
            tensor.appendInt(2, Int64(ONNXModel.ElementType.int64.rawValue))
            tensor.appendString(8, name)
            var raw: [UInt8] = []
            raw.reserveCapacity(ints.count * 8)
            for i in ints { withUnsafeBytes(of: i.littleEndian) { raw.append(contentsOf: $0) } }
            tensor.appendBytes(9, raw)
        }
        if !docString.isEmpty { tensor.appendString(12, docString) }
        return tensor
    }
}

extension ONNXValueInfo {
    /// ValueInfoProto name (1), type (2) → TypeProto.tensor_type (1) → elem_type (1), shape (2) →
    /// dim (1) → dim_value (1) or dim_param (2).
    func encoded() -> ProtobufWriter {
        var shape = ProtobufWriter()
        for d in dims {
            var dim = ProtobufWriter()
            switch d {
            case .fixed(let n): dim.appendInt(1, Int64(n))
            case .symbolic(let name): dim.appendString(2, name)
            }
            shape.appendMessage(1, dim)
        }
        var tensorType = ProtobufWriter()
        tensorType.appendInt(1, Int64(ONNXModel.ElementType.float.rawValue))
        tensorType.appendMessage(2, shape)
        var type = ProtobufWriter()
        type.appendMessage(1, tensorType)
        var info = ProtobufWriter()
        info.appendString(1, name)
        info.appendMessage(2, type)
        if !docString.isEmpty { info.appendString(3, docString) }
        return info
    }
}
