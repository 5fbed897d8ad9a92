/// Serialises a `PickleValue` tree. Protocol 2 uses only the opcodes PyTorch's `weights_only`
/// unpickler accepts (BINUNICODE, LONG1, ..., bytes via `_codecs.encode`); protocol 4 adds the short
/// string and bytes forms, `EMPTY_SET`/`ADDITEMS`. No memo is written (the trees carry no sharing).
struct PickleWriter {
    let protocolVersion: UInt8
    private(set) var output: [UInt8] = []

    init(protocol version: UInt8) {
        precondition(version == 2 || version == 4, "PickleWriter: protocol \(version) is not 2 or 4")
        protocolVersion = version
    }

    /// The complete pickle of `value` (PROTO ... STOP).
    static func encode(_ value: PickleValue, protocol version: UInt8 = 2) -> [UInt8] {
        var writer = PickleWriter(protocol: version)
        writer.output = [0x80, version]
        writer.write(value)
        writer.output.append(0x2E)
        return writer.output
    }

    private mutating func opcode(_ byte: UInt8) { output.append(byte) }

    private mutating func write(_ value: PickleValue) {
        switch value {
        case .none: opcode(0x4E)
        case .bool(let flag): opcode(flag ? 0x88 : 0x89)
        case .int(let integer): writeInt(integer)
        case .bigInt(let bytes): writeLong(bytes)
        case .float(let double):
            opcode(0x47)
            output.appendLittleEndian(double.bitPattern.byteSwapped)
        case .string(let text): writeString(text)
        case .bytes(let bytes): writeBytes(bytes)
        case .tuple(let items): writeTuple(items)
        case .list(let items):
            opcode(0x5D)
            writeMarked(items, closing: 0x65)  // APPENDS
        case .dict(let pairs):
            opcode(0x7D)
            writePairs(pairs)
        case .set(let items):
            if protocolVersion >= 4 {
                opcode(0x8F)
                writeMarked(items, closing: 0x90)  // ADDITEMS
            } else {
                writeGlobal(module: "builtins", name: "set")
                writeTuple([.list(items)])
                opcode(0x52)
            }
        case .global(let module, let name): writeGlobal(module: module, name: name)
        case .object(let object):
            write(object.callable)
            writeTuple(object.arguments)
            opcode(object.isNewObject ? 0x81 : 0x52)  // NEWOBJ / REDUCE
            writeMarked(object.listItems, closing: 0x65)
            writePairs(object.dictItems)
            if let state = object.state {
                write(state)
                opcode(0x62)  // BUILD
            }
        case .persistentID(let id):
            write(id)
            opcode(0x51)  // BINPERSID
        }
    }

    private mutating func writeInt(_ value: Int) {
        switch value {
        case 0...0xFF:
            opcode(0x4B)
            output.append(UInt8(value))
        case 0x100...0xFFFF:
            opcode(0x4D)
            output.appendLittleEndian(UInt16(value))
        case Int(Int32.min)...Int(Int32.max):
            opcode(0x4A)
            output.appendLittleEndian(Int32(value))
        default:
            writeLong(PickleInteger.encode(value))
        }
    }

    private mutating func writeLong(_ bytes: [UInt8]) {
        if bytes.count < 256 {
            opcode(0x8A)
            output.append(UInt8(bytes.count))
        } else {
            opcode(0x8B)
            output.appendLittleEndian(UInt32(bytes.count))
        }
        output += bytes
    }

    private mutating func writeString(_ text: String) {
        let bytes = Array(text.utf8)
        if protocolVersion >= 4 && bytes.count < 256 {
            opcode(0x8C)
            output.append(UInt8(bytes.count))
        } else if bytes.count <= Int(UInt32.max) {
            opcode(0x58)
            output.appendLittleEndian(UInt32(bytes.count))
        } else {
            opcode(0x8D)
            output.appendLittleEndian(UInt64(bytes.count))
        }
        output += bytes
    }

    private mutating func writeBytes(_ bytes: [UInt8]) {
        guard protocolVersion >= 3 else {
            // Protocol 2 has no bytes type: Python writes _codecs.encode(latin-1 text, 'latin1').
            writeGlobal(module: "_codecs", name: "encode")
            let latin1 = String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
            writeTuple([.string(latin1), .string("latin1")])
            opcode(0x52)
            return
        }
        if bytes.count < 256 {
            opcode(0x43)
            output.append(UInt8(bytes.count))
        } else if bytes.count <= Int(UInt32.max) {
            opcode(0x42)
            output.appendLittleEndian(UInt32(bytes.count))
        } else {
            opcode(0x8E)
            output.appendLittleEndian(UInt64(bytes.count))
        }
        output += bytes
    }

    private mutating func writeGlobal(module: String, name: String) {
        opcode(0x63)
        output += Array(module.utf8) + [0x0A] + Array(name.utf8) + [0x0A]
    }

    private mutating func writeTuple(_ items: [PickleValue]) {
        switch items.count {
        case 0: opcode(0x29)
        case 1...3:
            for item in items { write(item) }
            opcode(0x84 + UInt8(items.count))  // TUPLE1, TUPLE2, TUPLE3
        default:
            opcode(0x28)
            for item in items { write(item) }
            opcode(0x74)
        }
    }

    /// `MARK items... closing` for APPENDS / ADDITEMS; nothing when there are no items.
    private mutating func writeMarked(_ items: [PickleValue], closing: UInt8) {
        guard !items.isEmpty else { return }
        opcode(0x28)
        for item in items { write(item) }
        opcode(closing)
    }

    private mutating func writePairs(_ pairs: [PicklePair]) {
        guard !pairs.isEmpty else { return }
        opcode(0x28)
        for pair in pairs {
            write(pair.key)
            write(pair.value)
        }
        opcode(0x75)  // SETITEMS
    }
}
