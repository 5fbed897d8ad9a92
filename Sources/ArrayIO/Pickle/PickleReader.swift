/// A data-only pickle virtual machine (protocols 2-5, binary opcodes). It builds a `PickleValue`
/// tree and never imports or calls anything; globals outside `allowedGlobals` are rejected as soon
/// as they are read. Mutable containers (list, dict, set, built objects) are shared by reference
/// while the program runs, as in Python, so that `BINGET` of a memoised object sees later
/// `APPEND`/`SETITEM`/`BUILD`; the final tree is then copied out with a size budget and a depth
/// limit (a malicious pickle can neither recurse forever nor blow up exponentially).
struct PickleReader {
    /// Parses one pickle starting at `start` of `bytes`; returns the value and the offset after `STOP`.
    /// `allowedGlobals` holds `module.name` strings; nil accepts every global (it is data either way).
    static func parse(_ bytes: [UInt8], at start: Int = 0, file: String,
                      allowedGlobals: Set<String>? = nil) throws(ArrayIOError) -> (value: PickleValue, end: Int) {
        var machine = PickleReader(bytes: bytes, start: start, file: file, allowedGlobals: allowedGlobals)
        let result = try machine.run()
        var budget = max(1 << 20, (bytes.count - start) * 4)
        let value = try machine.resolve(result, depth: 0, budget: &budget)
        return (value, machine.cursor.position)
    }

    private final class Node {
        enum Kind { case list, dict, set, object }
        let kind: Kind
        var items: [Slot] = []
        var pairs: [(Slot, Slot)] = []
        var callable: Slot = .leaf(.none)
        var arguments: [Slot] = []
        var isNewObject = false
        var state: Slot?
        init(_ kind: Kind) { self.kind = kind }
    }

    private indirect enum Slot {
        case leaf(PickleValue)
        case tupleOf([Slot])
        case node(Node)
        case persistent(Slot)
    }

    private var cursor: ByteCursor
    private let file: String
    private let allowedGlobals: Set<String>?
    private var stack: [Slot] = []
    private var marks: [Int] = []
    private var memo: [Int: Slot] = [:]

    private init(bytes: [UInt8], start: Int, file: String, allowedGlobals: Set<String>?) {
        cursor = ByteCursor(bytes, at: start, file: file, context: "pickle")
        self.file = file
        self.allowedGlobals = allowedGlobals
    }

    private func error(_ problem: String, at offset: Int? = nil) -> ArrayIOError {
        ArrayIOError(file: file, "pickle: \(problem) (offset \(offset ?? cursor.position))")
    }

    private mutating func push(_ slot: Slot) { stack.append(slot) }
    private mutating func push(_ value: PickleValue) { stack.append(.leaf(value)) }

    private mutating func pop() throws(ArrayIOError) -> Slot {
        guard stack.count > (marks.last ?? 0) else { throw error("stack underflow") }
        return stack.removeLast()
    }

    private func top() throws(ArrayIOError) -> Slot {
        guard stack.count > (marks.last ?? 0), let last = stack.last else { throw error("stack underflow") }
        return last
    }

    private mutating func popMark() throws(ArrayIOError) -> [Slot] {
        guard let mark = marks.popLast() else { throw error("no MARK on the stack") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private mutating func topNode(_ kinds: Set<Node.Kind>, for opcode: String) throws(ArrayIOError) -> Node {
        guard case .node(let node) = try top(), kinds.contains(node.kind) else {
            throw error("\(opcode) needs a \(kinds.map { $0 == .object ? "built object" : "\($0)" }.sorted().joined(separator: " or ")) on the stack")
        }
        return node
    }

    private mutating func string(_ length: Int) throws(ArrayIOError) -> String {
        let start = cursor.position
        let slice = try cursor.slice(length)
        guard let text = String(validating: slice, as: UTF8.self) else { throw error("invalid UTF-8 in a string", at: start) }
        return text
    }

    private mutating func line() throws(ArrayIOError) -> String {
        let start = cursor.position
        var end = start
        while end < cursor.bytes.count, cursor.bytes[end] != 0x0A {
            end += 1
            guard end - start <= 1024 else { throw error("text argument too long", at: start) }
        }
        guard end < cursor.bytes.count else { throw error("unterminated text argument", at: start) }
        let text = String(decoding: cursor.bytes[start..<end], as: UTF8.self)
        cursor.position = end + 1
        return text
    }

    private mutating func length(_ width: Int) throws(ArrayIOError) -> Int {
        let value = try cursor.unsigned(width)
        guard value <= UInt64(cursor.remaining) else { throw cursor.truncated(Int(clamping: value)) }
        return Int(value)
    }

    private mutating func global(module: String, name: String, at offset: Int) throws(ArrayIOError) -> PickleValue {
        let full = module + "." + name
        if let allowedGlobals, !allowedGlobals.contains(full) {
            throw error("global '\(full)' is not allowed here (nothing is ever executed; this file is not a plain checkpoint/array)", at: offset)
        }
        return .global(module: module, name: name)
    }

    private mutating func memoize(_ index: Int) throws(ArrayIOError) {
        memo[index] = try top()
    }

    private mutating func recall(_ index: Int) throws(ArrayIOError) {
        guard let slot = memo[index] else { throw error("memo entry \(index) does not exist") }
        push(slot)
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private mutating func run() throws(ArrayIOError) -> Slot {
        while true {
            let offset = cursor.position
            let opcode = try cursor.u8()
            switch opcode {
            case 0x80:  // PROTO
                let version = try cursor.u8()
                guard version <= 5 else { throw error("unsupported pickle protocol \(version)", at: offset) }
            case 0x95:  // FRAME: a length prefix only; the data follows inline
                _ = try length(8)
            case 0x2E:  // STOP
                let result = try pop()
                return result
            case 0x28: marks.append(stack.count)  // MARK
            case 0x30: _ = try pop()  // POP
            case 0x31: _ = try popMark()  // POP_MARK
            case 0x32: push(try top())  // DUP
            case 0x4E: push(.none)
            case 0x88: push(.bool(true))
            case 0x89: push(.bool(false))
            case 0x4A: push(.int(Int(Int32(bitPattern: try cursor.u32()))))  // BININT
            case 0x4B: push(.int(Int(try cursor.u8())))  // BININT1
            case 0x4D: push(.int(Int(try cursor.u16())))  // BININT2
            case 0x8A: push(PickleInteger.decode(try cursor.take(try length(1))))  // LONG1
            case 0x8B:  // LONG4
                let count = Int32(bitPattern: try cursor.u32())
                guard count >= 0, Int(count) <= cursor.remaining else { throw error("bad LONG4 length \(count)", at: offset) }
                push(PickleInteger.decode(try cursor.take(Int(count))))
            case 0x47: push(.float(Double(bitPattern: try cursor.unsigned(8).byteSwapped)))  // BINFLOAT (big-endian)
            case 0x58: push(.string(try string(try length(4))))  // BINUNICODE
            case 0x8C: push(.string(try string(try length(1))))  // SHORT_BINUNICODE
            case 0x8D: push(.string(try string(try length(8))))  // BINUNICODE8
            case 0x42: push(.bytes(try cursor.take(try length(4))))  // BINBYTES
            case 0x43: push(.bytes(try cursor.take(try length(1))))  // SHORT_BINBYTES
            case 0x8E, 0x96: push(.bytes(try cursor.take(try length(8))))  // BINBYTES8, BYTEARRAY8
            case 0x54, 0x55:  // BINSTRING, SHORT_BINSTRING (Python 2 str)
                let count = opcode == 0x54 ? Int(Int32(bitPattern: try cursor.u32())) : Int(try cursor.u8())
                guard count >= 0, count <= cursor.remaining else { throw error("bad string length \(count)", at: offset) }
                let raw = try cursor.take(count)
                push(String(validating: raw, as: UTF8.self).map(PickleValue.string) ?? .bytes(raw))
            case 0x29: push(Slot.tupleOf([]))  // EMPTY_TUPLE
            case 0x74: push(Slot.tupleOf(try popMark()))  // TUPLE
            case 0x85: push(Slot.tupleOf([try pop()]))  // TUPLE1
            case 0x86:  // TUPLE2
                let second = try pop()
                push(Slot.tupleOf([try pop(), second]))
            case 0x87:  // TUPLE3
                let third = try pop(), second = try pop()
                push(Slot.tupleOf([try pop(), second, third]))
            case 0x5D: push(.node(Node(.list)))  // EMPTY_LIST
            case 0x6C:  // LIST
                let node = Node(.list)
                node.items = try popMark()
                push(.node(node))
            case 0x7D: push(.node(Node(.dict)))  // EMPTY_DICT
            case 0x64:  // DICT
                let node = Node(.dict)
                node.pairs = try pairs(try popMark(), at: offset)
                push(.node(node))
            case 0x8F: push(.node(Node(.set)))  // EMPTY_SET
            case 0x91:  // FROZENSET
                let node = Node(.set)
                node.items = try popMark()
                push(.node(node))
            case 0x61:  // APPEND
                let item = try pop()
                try topNode([.list, .object], for: "APPEND").items.append(item)
            case 0x65:  // APPENDS
                let items = try popMark()
                try topNode([.list, .object], for: "APPENDS").items += items
            case 0x90:  // ADDITEMS
                let items = try popMark()
                try topNode([.set], for: "ADDITEMS").items += items
            case 0x73:  // SETITEM
                let value = try pop(), key = try pop()
                try topNode([.dict, .object], for: "SETITEM").pairs.append((key, value))
            case 0x75:  // SETITEMS
                let items = try pairs(try popMark(), at: offset)
                try topNode([.dict, .object], for: "SETITEMS").pairs += items
            case 0x63:  // GLOBAL
                let module = try line(), name = try line()
                push(try global(module: module, name: name, at: offset))
            case 0x93:  // STACK_GLOBAL
                guard case .leaf(.string(let name)) = try pop(), case .leaf(.string(let module)) = try pop() else {
                    throw error("STACK_GLOBAL needs two strings", at: offset)
                }
                push(try global(module: module, name: name, at: offset))
            case 0x52, 0x81:  // REDUCE, NEWOBJ
                guard case .tupleOf(let arguments) = try pop() else { throw error("REDUCE/NEWOBJ arguments are not a tuple", at: offset) }
                let node = Node(.object)
                node.callable = try pop()
                node.arguments = arguments
                node.isNewObject = opcode == 0x81
                push(.node(node))
            case 0x92:  // NEWOBJ_EX
                let keywords = try pop()
                guard case .tupleOf(let arguments) = try pop() else { throw error("NEWOBJ_EX arguments are not a tuple", at: offset) }
                guard case .node(let kw) = keywords, kw.kind == .dict, kw.pairs.isEmpty else {
                    throw error("NEWOBJ_EX with keyword arguments is not supported", at: offset)
                }
                let node = Node(.object)
                node.callable = try pop()
                node.arguments = arguments
                node.isNewObject = true
                push(.node(node))
            case 0x62:  // BUILD
                let state = try pop()
                let node = try topNode([.object], for: "BUILD")
                guard node.state == nil else { throw error("BUILD applied twice to one object", at: offset) }
                node.state = state
            case 0x51: push(.persistent(try pop()))  // BINPERSID
            case 0x50: push(.persistent(.leaf(.string(try line()))))  // PERSID
            case 0x71: try memoize(Int(try cursor.u8()))  // BINPUT
            case 0x72: try memoize(Int(try cursor.u32()))  // LONG_BINPUT
            case 0x94: try memoize(memo.count)  // MEMOIZE
            case 0x70:  // PUT
                guard let index = Int(try line()), index >= 0 else { throw error("bad PUT index", at: offset) }
                try memoize(index)
            case 0x68: try recall(Int(try cursor.u8()))  // BINGET
            case 0x6A: try recall(Int(try cursor.u32()))  // LONG_BINGET
            case 0x67:  // GET
                guard let index = Int(try line()) else { throw error("bad GET index", at: offset) }
                try recall(index)
            default:
                let printable = opcode >= 0x20 && opcode < 0x7F ? " ('\(Character(Unicode.Scalar(opcode)))')" : ""
                throw error("unsupported opcode 0x\(String(opcode, radix: 16))\(printable)", at: offset)
            }
        }
    }

    private func pairs(_ items: [Slot], at offset: Int) throws(ArrayIOError) -> [(Slot, Slot)] {
        guard items.count % 2 == 0 else { throw error("odd number of items for a dict", at: offset) }
        return stride(from: 0, to: items.count, by: 2).map { (items[$0], items[$0 + 1]) }
    }

    /// Copies a slot out into a value tree, charging every value to `budget`.
    private func resolve(_ slot: Slot, depth: Int, budget: inout Int) throws(ArrayIOError) -> PickleValue {
        budget -= 1
        guard budget >= 0 else { throw error("object graph too large (shared or recursive references)") }
        guard depth < 512 else { throw error("object graph too deep (recursive structure?)") }
        func each(_ slots: [Slot], _ budget: inout Int) throws(ArrayIOError) -> [PickleValue] {
            var values: [PickleValue] = []
            values.reserveCapacity(slots.count)
            for slot in slots { values.append(try resolve(slot, depth: depth + 1, budget: &budget)) }
            return values
        }
        func pairs(_ slots: [(Slot, Slot)], _ budget: inout Int) throws(ArrayIOError) -> [PicklePair] {
            var values: [PicklePair] = []
            values.reserveCapacity(slots.count)
            for (key, value) in slots {
                values.append(PicklePair(try resolve(key, depth: depth + 1, budget: &budget),
                                         try resolve(value, depth: depth + 1, budget: &budget)))
            }
            return values
        }
        switch slot {
        case .leaf(let value): return value
        case .tupleOf(let items): return .tuple(try each(items, &budget))
        case .persistent(let id): return .persistentID(try resolve(id, depth: depth + 1, budget: &budget))
        case .node(let node):
            switch node.kind {
            case .list: return .list(try each(node.items, &budget))
            case .set: return .set(try each(node.items, &budget))
            case .dict: return .dict(try pairs(node.pairs, &budget))
            case .object:
                var state: PickleValue?
                if let slot = node.state { state = try resolve(slot, depth: depth + 1, budget: &budget) }
                return .object(PickleObject(
                    callable: try resolve(node.callable, depth: depth + 1, budget: &budget),
                    arguments: try each(node.arguments, &budget), isNewObject: node.isNewObject, state: state,
                    dictItems: try pairs(node.pairs, &budget), listItems: try each(node.items, &budget)))
            }
        }
    }
}

/// Python integers in `LONG1`/`LONG4` form: little-endian two's complement, minimal length.
enum PickleInteger {
    static func decode(_ bytes: [UInt8]) -> PickleValue {
        guard let last = bytes.last else { return .int(0) }
        let negative = last & 0x80 != 0
        let fill: UInt8 = negative ? 0xFF : 0
        // Fits in Int64 when every byte past the 8th is sign extension of the 8th byte's top bit.
        if bytes.count <= 8 || (bytes[8...].allSatisfy { $0 == fill } && (bytes[7] & 0x80 != 0) == negative) {
            var value: UInt64 = negative ? ~0 : 0
            for (index, byte) in bytes.prefix(8).enumerated() {
                value &= ~(UInt64(0xFF) << (8 * UInt64(index)))
                value |= UInt64(byte) << (8 * UInt64(index))
            }
            return .int(Int(Int64(bitPattern: value)))
        }
        var trimmed = bytes
        while trimmed.count > 1, trimmed[trimmed.count - 1] == fill, (trimmed[trimmed.count - 2] & 0x80 != 0) == negative {
            trimmed.removeLast()
        }
        return .bigInt(trimmed)
    }

    /// Minimal two's-complement little-endian bytes of `value` (empty for 0, as Python writes it).
    static func encode(_ value: Int) -> [UInt8] {
        if value == 0 { return [] }
        var bytes: [UInt8] = []
        var v = value
        repeat {
            bytes.append(UInt8(truncatingIfNeeded: v))
            v >>= 8
        } while !(v == 0 && bytes.last! & 0x80 == 0) && !(v == -1 && bytes.last! & 0x80 != 0)
        return bytes
    }
}
