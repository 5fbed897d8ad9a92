@testable import ArrayIO
import XCTest

/// Write-then-read for every element type, C and Fortran order, both byte orders, 0-d and empty
/// arrays; plus the Fortran and big-endian layouts checked against hand-derived bytes.
final class NPYRoundTripTests: XCTestCase {
    static let shapes: [[Int]] = [[], [0], [7], [3, 4], [2, 3, 5], [1, 4, 1], [0, 3]]

    /// Deterministic bytes for an array (bool stays 0/1).
    static func sample(_ type: ElementType, _ shape: [Int], seed: UInt64) -> NDArray {
        var state = seed
        let count = shape.reduce(1, *) * type.size
        let bytes = (0..<count).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let byte = UInt8(truncatingIfNeeded: state >> 33)
            return type == .bool ? byte & 1 : byte
        }
        return NDArray(elementType: type, shape: shape, bytes: bytes)
    }

    func testEveryTypeOrderAndByteOrder() throws {
        var cases = 0
        for type in ElementType.allCases {
            for (index, shape) in Self.shapes.enumerated() {
                let array = Self.sample(type, shape, seed: UInt64(index * 31 + type.size))
                for fortran in [false, true] {
                    for big in [false, true] {
                        let encoded = NPY.encode(array, fortranOrder: fortran, bigEndian: big)
                        XCTAssertEqual(try NPY.decode(encoded), array, "\(type) \(shape) fortran \(fortran) big \(big)")
                        XCTAssertEqual(encoded.count % 64, array.bytes.count % 64, "data starts on a 64-byte boundary")
                        cases += 1
                    }
                }
            }
        }
        XCTAssertEqual(cases, ElementType.allCases.count * Self.shapes.count * 4)
    }

    func testFortranAndBigEndianLayouts() throws {
        let array = NDArray(elementType: .int16, shape: [2, 3], bytes: [Int16](arrayLiteral: 0, 1, 2, 3, 4, 5).withUnsafeBytes { Array($0) })
        let fortran = NPY.encode(array, fortranOrder: true)
        XCTAssertEqual(Array(fortran.suffix(12)), [0, 0, 3, 0, 1, 0, 4, 0, 2, 0, 5, 0])  // column-major: 0 3 1 4 2 5
        XCTAssertTrue(String(decoding: fortran.prefix(128), as: UTF8.self).contains("'descr': '<i2', 'fortran_order': True, 'shape': (2, 3)"))
        let big = NPY.encode(array, bigEndian: true)
        XCTAssertEqual(Array(big.suffix(12)), [0, 0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5])
        XCTAssertTrue(String(decoding: big.prefix(64), as: UTF8.self).contains("'descr': '>i2'"))
        let three = NDArray(elementType: .uint8, shape: [2, 2, 2], bytes: Array(0..<8))
        XCTAssertEqual(Array(NPY.encode(three, fortranOrder: true).suffix(8)), [0, 4, 2, 6, 1, 5, 3, 7])
    }

    func testNPZWithEveryType() throws {
        let entries: [(String, NPZEntry)] = ElementType.allCases.enumerated().map { index, type in
            (type.rawValue, .array(Self.sample(type, [3, 2], seed: UInt64(index))))
        } + [("ragged", .objects([Self.sample(.float32, [2, 3], seed: 9), Self.sample(.float64, [0], seed: 1), Self.sample(.bool, [4], seed: 2)]))]
        for compressed in [false, true] {
            let back = try NPZ.decode(try NPZ.encode(entries, compressed: compressed))
            XCTAssertEqual(back.map(\.key), entries.map(\.0))
            for (got, want) in zip(back, entries) { XCTAssertEqual(got.entry, want.1, want.0) }
        }
    }

    func testStridedGatherMatchesNaiveIndexing() {
        // A transposed, offset view of a 4x5 float storage: shape (3, 2), strides (1, 5), offset 6.
        let storage = (0..<20).map(Float.init)
        let gathered = storage.withUnsafeBytes {
            StridedCopy.gather($0, elementSize: 4, offset: 6, shape: [3, 2], strides: [1, 5])
        }
        let values = gathered.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        XCTAssertEqual(values, [6, 11, 7, 12, 8, 13])
        XCTAssertEqual(StridedCopy.requiredElements(offset: 6, shape: [3, 2], strides: [1, 5]), 14)
        XCTAssertEqual(StridedCopy.requiredElements(offset: 3, shape: [0, 2], strides: [2, 1]), 3)
        XCTAssertNil(StridedCopy.requiredElements(offset: 0, shape: [2, 1 << 62], strides: [1 << 62, 4]))
    }
}
