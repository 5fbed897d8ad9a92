import Foundation

/// An ONNX ModelProto read back with `ProtoMessage` (field numbers from onnx/onnx.proto), reduced to
/// what the tests check.
struct ReadBackModel {
    struct Node {
        var name: String
        var opType: String
        var inputs: [String]
        var outputs: [String]
        var attributes: [String: ProtoMessage]
    }

    struct Initializer {
        var name: String
        var dims: [Int]
        var dataType: Int
        var raw: [UInt8]

        var floats: [Float] {
            stride(from: 0, to: raw.count, by: 4).map { i in
                Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(raw[i + $1]) << (8 * $1) })
            }
        }

        var int64s: [Int64] {
            stride(from: 0, to: raw.count, by: 8).map { i in
                Int64(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(raw[i + $1]) << (8 * $1) })
            }
        }
    }

    /// A graph input or output: name and dimensions (an Int, or the symbolic name).
    struct Value {
        var name: String
        var elementType: Int
        var dims: [String]
    }

    var irVersion: Int
    var opsets: [(domain: String, version: Int)]
    var producerName: String
    var producerVersion: String
    var metadata: [String: String]
    var nodes: [Node]
    var initializers: [Initializer]
    var inputs: [Value]
    var outputs: [Value]

    init(_ bytes: [UInt8]) throws {
        let model = try ProtoMessage(bytes)
        irVersion = Int(model.int(1) ?? -1)
        producerName = model.string(2) ?? ""
        producerVersion = model.string(3) ?? ""
        opsets = try model.messages(8).map { ($0.string(1) ?? "", Int($0.int(2) ?? -1)) }
        metadata = [:]
        for entry in try model.messages(14) { metadata[entry.string(1) ?? ""] = entry.string(2) ?? "" }
        guard let graph = try model.message(7) else { throw ProtoMessage.Malformed(description: "no graph") }
        nodes = try graph.messages(1).map { node in
            var attributes: [String: ProtoMessage] = [:]
            for attribute in try node.messages(5) { attributes[attribute.string(1) ?? ""] = attribute }
            return Node(name: node.string(3) ?? "", opType: node.string(4) ?? "", inputs: node.strings(1),
                        outputs: node.strings(2), attributes: attributes)
        }
        initializers = try graph.messages(5).map { tensor in
            Initializer(name: tensor.string(8) ?? "", dims: tensor.ints(1).map(Int.init), dataType: Int(tensor.int(2) ?? 0),
                        raw: Array(tensor.byteFields(9).last ?? []))
        }
        func values(_ number: Int) throws -> [Value] {
            try graph.messages(number).map { info in
                let tensorType = try info.message(2)?.message(1)
                let dims = try tensorType?.message(2)?.messages(1).map { dim in
                    dim.int(1).map { String($0) } ?? dim.string(2) ?? "?"
                } ?? []
                return Value(name: info.string(1) ?? "", elementType: Int(tensorType?.int(1) ?? 0), dims: dims)
            }
        }
        inputs = try values(11)
        outputs = try values(12)
    }

    func initializer(_ name: String) -> Initializer? { initializers.first { $0.name == name } }
    func nodes(_ opType: String) -> [Node] { nodes.filter { $0.opType == opType } }
}
