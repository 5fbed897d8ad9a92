@testable import ArrayIO
import XCTest

/// The data-only pickle VM on pickles made by CPython 3.11's `pickle.dumps` (hex below; the Python
/// expression is given with each, and the expected trees follow Python's semantics).
final class PickleTests: XCTestCase {
    private func bytes(_ hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return result
    }

    private func parse(_ hex: String, allowed: Set<String>? = nil) throws -> PickleValue {
        let data = bytes(hex)
        let (value, end) = try PickleReader.parse(data, file: "test.pkl", allowedGlobals: allowed)
        XCTAssertEqual(end, data.count)
        return value
    }

    /// `[1, -1, 255, 256, 65536, -2**31, 2**31, 2**63-1, 2**63, -2**64, 1.5, 'é', b'\x00\xff', None, True,
    /// False, (), (1,), (1,2), (1,2,3), (1,2,3,4), {'a': 1}, {1, 2}, frozenset()]`
    static let scalarsExpected: [PickleValue] = [
        .int(1), .int(-1), .int(255), .int(256), .int(65536), .int(-(1 << 31)), .int(1 << 31), .int(Int.max),
        .bigInt([0, 0, 0, 0, 0, 0, 0, 0x80, 0]), .bigInt([0, 0, 0, 0, 0, 0, 0, 0, 0xFF]), .float(1.5), .string("é"),
        .bytes([0, 0xFF]), .none, .bool(true), .bool(false), .tuple([]), .tuple([.int(1)]), .tuple([.int(1), .int(2)]),
        .tuple([.int(1), .int(2), .int(3)]), .tuple([.int(1), .int(2), .int(3), .int(4)]),
        .dict([PicklePair(.string("a"), .int(1))]), .set([.int(1), .int(2)]), .set([]),
    ]

    func testProtocol4Scalars() throws {
        let value = try parse("8004958a000000000000005d94284b014affffffff4bff4d00014a000001004a000000808a0500000080008a08ffffffffffffff7f8a090000000000000080008a090000000000000000ff473ff80000000000008c02c3a994430200ff944e8889294b0185944b014b0286944b014b024b038794284b014b024b034b0474947d948c0161944b01738f94284b014b0290289194652e")
        XCTAssertEqual(value, .list(Self.scalarsExpected))
    }

    func testProtocol2ScalarsSpellBytesAndSetsAsCalls() throws {
        let value = try parse("80025d7100284b014affffffff4bff4d00014a000001004a000000808a0500000080008a08ffffffffffffff7f8a090000000000000080008a090000000000000000ff473ff80000000000005802000000c3a97101635f636f646563730a656e636f64650a7102580300000000c3bf710358060000006c6174696e3171048671055271064e8889294b018571074b014b028671084b014b024b03877109284b014b024b034b0474710a7d710b580100000061710c4b0173635f5f6275696c74696e5f5f0a7365740a710d5d710e284b014b026585710f527110635f5f6275696c74696e5f5f0a66726f7a656e7365740a71115d7112857113527114652e")
        guard case .list(let items) = value, items.count == 24 else { return XCTFail("\(value)") }
        XCTAssertEqual(Array(items[0..<12]), Array(Self.scalarsExpected[0..<12]))
        XCTAssertEqual(items[12], .object(PickleObject(callable: .global(module: "_codecs", name: "encode"),
                                                       arguments: [.string("\u{0}ÿ"), .string("latin1")])))
        XCTAssertEqual(Array(items[13..<22]), Array(Self.scalarsExpected[13..<22]))
        XCTAssertEqual(items[22], .object(PickleObject(callable: .global(module: "__builtin__", name: "set"),
                                                       arguments: [.list([.int(1), .int(2)])])))
    }

    /// `x = [1, 2]; pickle.dumps((x, x), protocol=2)`: the list is memoised while still EMPTY and filled
    /// afterwards; the second reference must see both items (reference semantics, like Python).
    func testMemoisedListSeesLaterAppends() throws {
        XCTAssertEqual(try parse("80025d7100284b014b026568008671012e"),
                       .tuple([.list([.int(1), .int(2)]), .list([.int(1), .int(2)])]))
    }

    /// `l = [1]; l.append(l)`: a cycle is reported, not followed forever.
    func testRecursiveStructureIsAnError() {
        XCTAssertThrowsError(try parse("80025d7100284b016800652e")) { XCTAssertTrue("\($0)".contains("recursive"), "\($0)") }
    }

    /// `collections.OrderedDict([('k', 1)])`, protocol 2: REDUCE then SETITEM on the object.
    func testOrderedDictCollectsItems() throws {
        XCTAssertEqual(try parse("800263636f6c6c656374696f6e730a4f726465726564446963740a71002952710158010000006b71024b01732e"),
                       .object(PickleObject(callable: .global(module: "collections", name: "OrderedDict"), arguments: [],
                                            dictItems: [PicklePair(.string("k"), .int(1))])))
    }

    func testGlobalsOutsideTheAllowListAreRejected() {
        // GLOBAL 'os system', as a malicious pickle would start.
        let hex = "8002636f730a73797374656d0a2e"
        XCTAssertThrowsError(try parse(hex, allowed: ["collections.OrderedDict"])) {
            XCTAssertEqual("\($0)", "test.pkl: pickle: global 'os.system' is not allowed here (nothing is ever executed; this file is not a plain checkpoint/array) (offset 2)")
        }
        XCTAssertEqual(try parse(hex), .global(module: "os", name: "system"))
    }

    func testMalformedProgramsAreTypedErrors() {
        let cases: [(String, String)] = [
            ("8002", "truncated pickle"),  // no STOP
            ("80022e", "stack underflow"),  // STOP on an empty stack
            ("8002682a2e", "memo entry 42 does not exist"),
            ("8002ff2e", "unsupported opcode 0xff"),
            ("8002492e", "unsupported opcode 0x49 ('I')"),  // text INT (protocol 0)
            ("80064e2e", "unsupported pickle protocol 6"),
            ("80025802ffffff2e", "truncated pickle"),  // BINUNICODE longer than the data
            ("80028c02c3282e", "invalid UTF-8"),
            ("8002284b01752e", "odd number of items"),
            ("80024b014b02622e", "BUILD needs a built object on the stack"),
            ("80024b01622e", "stack underflow"),
            ("800274", "no MARK"),
        ]
        for (hex, message) in cases {
            XCTAssertThrowsError(try parse(hex), hex) { XCTAssertTrue("\($0)".contains(message), "\(hex): \($0)") }
        }
    }

    func testWriterRoundTripsProtocols2And4() throws {
        let tree = PickleValue.list(Self.scalarsExpected + [
            .object(PickleObject(callable: .global(module: "m", name: "f"), arguments: [.int(1)], state: .dict([]),
                                 dictItems: [PicklePair(.int(1), .none)], listItems: [.string("x")])),
            .persistentID(.tuple([.string("storage"), .int(3)])),
            .string(String(repeating: "long ", count: 100)), .bytes([UInt8](repeating: 7, count: 300)),
            .bigInt([UInt8](repeating: 0x11, count: 300)),
        ])
        XCTAssertEqual(try PickleReader.parse(PickleWriter.encode(tree, protocol: 4), file: "w").value, tree)
        // Protocol 2 has no bytes or set opcodes: they come back as the calls Python would write.
        guard case .list(let items) = try PickleReader.parse(PickleWriter.encode(tree, protocol: 2), file: "w").value else {
            return XCTFail("not a list")
        }
        XCTAssertEqual(items.count, Self.scalarsExpected.count + 5)
        XCTAssertEqual(items[0], .int(1))
        XCTAssertEqual(items[24], tree.listItems?[24])
    }

    func testIntegerEncodingIsMinimal() {
        XCTAssertEqual(PickleInteger.encode(0), [])
        XCTAssertEqual(PickleInteger.encode(127), [0x7F])
        XCTAssertEqual(PickleInteger.encode(128), [0x80, 0])
        XCTAssertEqual(PickleInteger.encode(-1), [0xFF])
        XCTAssertEqual(PickleInteger.encode(-129), [0x7F, 0xFF])
        XCTAssertEqual(PickleInteger.encode(Int.min), [0, 0, 0, 0, 0, 0, 0, 0x80])
        for value in [0, 1, -1, 255, -256, 1 << 40, Int.max, Int.min] {
            XCTAssertEqual(PickleInteger.decode(PickleInteger.encode(value)), .int(value))
        }
        XCTAssertEqual(PickleInteger.decode([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]), .int(-1))
    }
}

extension PickleValue {
    /// The items of a list (test helper).
    var listItems: [PickleValue]? {
        if case .list(let items) = self { return items }
        return nil
    }
}

/// The checkpoint interpreter on hand-built pickle trees (shapes of older writers).
final class TorchUnpicklerTests: XCTestCase {
    private func convert(_ value: PickleValue) throws -> CheckpointValue {
        var unpickler = TorchUnpickler(file: "u.pth", bigEndian: false) { reference throws(ArrayIOError) in
            let floats: [Float] = [1, 2, 3, 4, 5, 6]
            return StorageBytes(buffer: floats.withUnsafeBytes { Array($0) }, range: 0..<24)
        }
        return try unpickler.convert(value)
    }

    private let orderedDict = PickleValue.global(module: "collections", name: "OrderedDict")

    /// Python 2.7's `OrderedDict.__reduce__` passes `[[key, value], ...]` as the argument.
    func testPython2OrderedDictArguments() throws {
        let value = PickleValue.object(PickleObject(callable: orderedDict, arguments: [.list([.list([.string("a"), .int(1)])])],
                                                    state: .dict([PicklePair(.string("_metadata"), .none)])))
        XCTAssertEqual(try convert(value), .orderedDict([CheckpointEntry("a", .int(1))]))
    }

    /// `_rebuild_tensor(storage, offset, size, stride)` (4 arguments) and a legacy view storage
    /// (`view_metadata` = (root key, offset 2, 4 elements)).
    func testOldRebuildAndViewStorage() throws {
        let id = PickleValue.persistentID(.tuple([.string("storage"), .global(module: "torch", name: "FloatStorage"), .string("v"),
                                                  .string("cpu"), .int(4), .tuple([.string("root"), .int(2), .int(4)])]))
        let tensor = PickleValue.object(PickleObject(callable: .global(module: "torch._utils", name: "_rebuild_tensor"),
                                                     arguments: [id, .int(1), .tuple([.int(3)]), .tuple([.int(1)])]))
        XCTAssertEqual(try convert(tensor), .array(NDArray(shape: [3], floats: [4, 5, 6])))
        let tooLong = PickleValue.object(PickleObject(callable: .global(module: "torch._utils", name: "_rebuild_tensor"),
                                                      arguments: [id, .int(1), .tuple([.int(4)]), .tuple([.int(1)])]))
        XCTAssertThrowsError(try convert(tooLong)) { XCTAssertTrue("\($0)".contains("too few"), "\($0)") }
    }

    func testNonValuesAreRejected() {
        XCTAssertThrowsError(try convert(.bytes([1])))
        XCTAssertThrowsError(try convert(.global(module: "torch", name: "FloatStorage")))
        XCTAssertThrowsError(try convert(.object(PickleObject(callable: .global(module: "torch", name: "Size"), arguments: [.int(1)]))))
    }
}
