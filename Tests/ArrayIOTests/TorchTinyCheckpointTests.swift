import ArrayIO
import Foundation
import TestSupport
import XCTest

/// `tiny_legacy.pth`, `tiny_zip.pth` and `tiny_legacy_cuda.pth` (torch 2.15 writers; the cuda one is
/// rewritten like 0.4.1 GPU saves) against `tiny_expected.json`, written by the same script from the
/// object torch.load returns: every entry's type, dtype, shape, requires_grad and every value, float32
/// by bit pattern, float64 and float16 exactly, integers exactly.
final class TorchTinyCheckpointTests: XCTestCase {
    static func expectedObject() throws -> [String: Any] {
        let data = try Data(contentsOf: Fixtures.reference("torch/checkpoints/tiny_expected.json"))
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try XCTUnwrap(root["object"] as? [String: Any])
    }

    func testLegacy() throws { try check("tiny_legacy.pth") }
    func testZip() throws { try check("tiny_zip.pth") }
    func testLegacyCUDA() throws { try check("tiny_legacy_cuda.pth") }

    func testAllThreeFormatsGiveTheSameValue() throws {
        let values = try ["tiny_legacy.pth", "tiny_zip.pth", "tiny_legacy_cuda.pth"].map {
            try TorchCheckpoint.read(contentsOf: Fixtures.reference("torch/checkpoints/\($0)"))
        }
        XCTAssertEqual(values[0], values[1])
        XCTAssertEqual(values[0], values[2])
    }

    /// The matcher itself notices a one-bit difference and a wrong type (so the tests above can fail).
    func testMatcherDetectsDifferences() throws {
        let value = try TorchCheckpoint.read(contentsOf: Fixtures.reference("torch/checkpoints/tiny_zip.pth"))
        var expected = try Self.expectedObject()
        var items = try XCTUnwrap(expected["items"] as? [[Any]])
        var first = try XCTUnwrap(items[0][1] as? [String: Any])
        var bits = try XCTUnwrap(first["bits"] as? [String])
        bits[3] = "3e800001"
        first["bits"] = bits
        items[0][1] = first
        expected["items"] = items
        var mismatches: [String] = []
        match(value, expected, path: "tiny", mismatches: &mismatches)
        XCTAssertEqual(mismatches.count, 1)
        mismatches = []
        match(.dict([]), try Self.expectedObject(), path: "tiny", mismatches: &mismatches)
        XCTAssertEqual(mismatches.count, 1)
    }

    private func check(_ name: String) throws {
        let value = try TorchCheckpoint.read(contentsOf: Fixtures.reference("torch/checkpoints/\(name)"))
        var mismatches: [String] = []
        match(value, try Self.expectedObject(), path: name, mismatches: &mismatches)
        XCTAssertEqual(mismatches, [], "\(mismatches.count) mismatches")
    }
}

/// Compares a decoded value with the JSON description of `tiny_expected.json`, recording each mismatch.
func match(_ value: CheckpointValue, _ expected: [String: Any], path: String, mismatches: inout [String]) {
    func fail(_ text: String) { mismatches.append("\(path): \(text)") }
    let type = expected["type"] as? String ?? "?"
    switch (type, value) {
    case ("ordered_dict", .orderedDict(let entries)), ("dict", .dict(let entries)):
        let items = expected["items"] as? [[Any]] ?? []
        guard items.count == entries.count else { return fail("\(entries.count) entries, expected \(items.count)") }
        for (entry, item) in zip(entries, items) {
            guard let key = item[0] as? String, entry.key == .string(key), let sub = item[1] as? [String: Any] else {
                fail("key \(entry.key) vs \(item[0])")
                continue
            }
            match(entry.value, sub, path: path + "." + key, mismatches: &mismatches)
        }
    case ("list", .list(let items)), ("tuple", .tuple(let items)):
        let expectedItems = expected["items"] as? [[String: Any]] ?? []
        guard expectedItems.count == items.count else { return fail("\(items.count) items, expected \(expectedItems.count)") }
        for (index, (item, sub)) in zip(items, expectedItems).enumerated() {
            match(item, sub, path: path + "[\(index)]", mismatches: &mismatches)
        }
    case ("int", .int(let integer)):
        if (expected["value"] as? NSNumber)?.int64Value != Int64(integer) { fail("int \(integer) vs \(expected["value"] ?? "nil")") }
    case ("float", .float(let double)):
        if (expected["value"] as? NSNumber)?.doubleValue.bitPattern != double.bitPattern { fail("float \(double)") }
    case ("bool", .bool(let flag)):
        if (expected["value"] as? NSNumber)?.boolValue != flag { fail("bool \(flag)") }
    case ("str", .string(let text)):
        if expected["value"] as? String != text { fail("str \(text)") }
    case ("none", .none):
        break
    case ("tensor", .tensor(let tensor)), ("parameter", .tensor(let tensor)):
        if tensor.isParameter != (type == "parameter") { fail("isParameter \(tensor.isParameter)") }
        if tensor.requiresGrad != (expected["requires_grad"] as? Bool) { fail("requiresGrad \(tensor.requiresGrad)") }
        let array = tensor.array
        if array.elementType.rawValue != expected["dtype"] as? String { fail("dtype \(array.elementType)") }
        if array.shape != (expected["shape"] as? [Int]) { return fail("shape \(array.shape)") }
        let numbers = expected["values"] as? [NSNumber] ?? []
        guard numbers.count == array.count else { return fail("\(array.count) values, expected \(numbers.count)") }
        switch array.elementType {
        case .float32:
            let bits = (expected["bits"] as? [String] ?? []).compactMap { UInt32($0, radix: 16) }
            if array.values(as: UInt32.self) != bits { fail("float32 bits \(array.values(as: UInt32.self)) vs \(bits)") }
        case .float64:
            if array.values(as: Double.self).map(\.bitPattern) != numbers.map(\.doubleValue.bitPattern) { fail("float64 values") }
        case .float16:
            if array.floatValues().map({ Double($0).bitPattern }) != numbers.map(\.doubleValue.bitPattern) { fail("float16 values") }
        case .int64:
            if array.values(as: Int64.self) != numbers.map(\.int64Value) { fail("int64 values \(array.values(as: Int64.self))") }
        case .int32:
            if array.values(as: Int32.self).map(Int64.init) != numbers.map(\.int64Value) { fail("int32 values") }
        case .uint8, .bool:
            if array.bytes.map(Int64.init) != numbers.map(\.int64Value) { fail("byte values \(array.bytes)") }
        default:
            fail("unexpected dtype \(array.elementType)")
        }
    default:
        fail("type \(type) vs \(value)")
    }
}
