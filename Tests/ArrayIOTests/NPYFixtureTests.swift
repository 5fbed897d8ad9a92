@testable import ArrayIO
import TestSupport
import XCTest

/// Every `.npy` under `reference/io/npy` against the values NumPy 2.4.6 gives for it. The expected bit
/// patterns / integers below were printed by
/// `a = np.load(NAME); np.ascontiguousarray(a).ravel().astype('<f4').view('<u4')` (float32),
/// `.astype('<f8').view('<u8')` (float64) and `.tolist()` (integers, bool).
final class NPYFixtureTests: XCTestCase {
    private func load(_ name: String) throws -> NDArray { try Fixtures.npy("io/npy/\(name)") }

    private func assertFloat32(_ array: NDArray, shape: [Int], bits: [UInt32], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(array.elementType, .float32, file: file, line: line)
        XCTAssertEqual(array.shape, shape, file: file, line: line)
        XCTAssertEqual(array.values(as: UInt32.self), bits, file: file, line: line)
    }

    func testFloat32() throws {
        assertFloat32(try load("f32.npy"), shape: [3, 4], bits: [
            0x3E38_989E, 0x3C9F_8A8B, 0x3EED_2AFB, 0x3F39_9545, 0x3ED7_24ED, 0x3EF8_89E7,
            0x3C51_669F, 0x3EF9_88C5, 0x3F71_1A3E, 0x3F59_CDB5, 0x3F3A_DEF4, 0x3DDE_B105,
        ])
    }

    func testFloat64() throws {
        let array = try load("f64.npy")
        XCTAssertEqual(array.elementType, .float64)
        XCTAssertEqual(array.shape, [2, 3, 2])
        XCTAssertEqual(array.values(as: UInt64.self), [
            0x3FEC_9ADC_EB24_3CF0, 0x3FEB_6DCE_BE59_C513, 0x3FC5_218E_EBCA_14C4, 0x3FE4_3C14_8AB0_A686,
            0x3F94_F9A7_FC2B_4940, 0x3FBD_E27E_5FA2_70A8, 0x3FD4_3F5C_AE39_8E2A, 0x3FC4_3678_7067_02EC,
            0x3FE8_498F_8FAF_63B1, 0x3FEA_2F4F_CDA4_C630, 0x3FD6_0E53_E184_82DA, 0x3FD4_6733_11A1_CFAA,
        ])
    }

    func testIntegersAndBool() throws {
        let u8 = try load("u8.npy")
        XCTAssertEqual(u8.elementType, .uint8)
        XCTAssertEqual(u8.shape, [5, 6])
        XCTAssertEqual(u8.bytes, [138, 212, 149, 28, 185, 97, 47, 221, 27, 244, 125, 21, 44, 147, 183,
                                  39, 245, 52, 117, 182, 142, 76, 91, 198, 7, 173, 123, 153, 183, 217])
        let u16 = try load("u16.npy")
        XCTAssertEqual(u16.elementType, .uint16)
        XCTAssertEqual(u16.shape, [4, 3])
        XCTAssertEqual(u16.values(as: UInt16.self), [41295, 3648, 62400, 51334, 65192, 31443, 57840, 2942, 17691, 26324, 22776, 40716])
        let i64 = try load("i64.npy")
        XCTAssertEqual(i64.elementType, .int64)
        XCTAssertEqual(i64.shape, [7])
        XCTAssertEqual(i64.values(as: Int64.self), [494_558_431, 900_404_869, -64_344_907, 707_949_895, -561_638_222, -703_248_669, -775_013_189])
        let bool = try load("bool.npy")
        XCTAssertEqual(bool.elementType, .bool)
        XCTAssertEqual(bool.shape, [3, 3])
        XCTAssertEqual(bool.bytes, [1, 0, 1, 0, 0, 0, 0, 0, 0])
    }

    func testScalarFortranAndBigEndian() throws {
        assertFloat32(try load("scalar_f32.npy"), shape: [], bits: [0x4050_0000])
        assertFloat32(try load("fortran_f32.npy"), shape: [3, 5], bits: [
            0x3D17_5142, 0x3BC4_98F5, 0x3F6C_816D, 0x3F2D_72A8, 0x3F7C_FE66, 0x3EF0_74C2, 0x3F52_D344, 0x3D4F_963D,
            0x3F3E_709D, 0x3E86_C703, 0x3F7A_25A0, 0x3F2A_5D6C, 0x3F7E_7059, 0x3EA3_E484, 0x3F49_FD04,
        ])
        assertFloat32(try load("bigendian_f32.npy"), shape: [4, 2], bits: [
            0x3E5B_F579, 0x3F73_7BCF, 0x3EAB_6316, 0x3F00_742B, 0x3F38_76FC, 0x3EBE_6BD1, 0x3E22_601C, 0x3D5E_EF7D,
        ])
    }

    /// Our writer reproduces NumPy 2.4.6's files byte for byte (header text, growth-axis room, padding).
    func testEncoderReproducesNumPyBytes() throws {
        for name in ["f32", "f64", "u8", "u16", "i64", "bool", "scalar_f32", "gt_ragged_0", "gt_ragged_1"] {
            let url = try Fixtures.reference("io/npy/\(name).npy")
            let original = try FileBytes.read(contentsOf: url)
            XCTAssertEqual(NPY.encode(try NPY.decode(original)), original, name)
        }
        let fortran = try FileBytes.read(contentsOf: Fixtures.reference("io/npy/fortran_f32.npy"))
        XCTAssertEqual(NPY.encode(try NPY.decode(fortran), fortranOrder: true), fortran)
        let big = try FileBytes.read(contentsOf: Fixtures.reference("io/npy/bigendian_f32.npy"))
        XCTAssertEqual(NPY.encode(try NPY.decode(big), bigEndian: true), big)
    }

    func testHeaderVersionsTwoAndThree() throws {
        let array = try load("f32.npy")
        let v1 = NPY.encode(array)
        let headerLength = Int(v1[8]) | Int(v1[9]) << 8
        for major: UInt8 in [2, 3] {
            // Same header text behind a 4-byte length (what NumPy writes for version 2.0 / 3.0).
            let v2 = NPY.magic + [major, 0] + [v1[8], v1[9], 0, 0] + Array(v1[10...])
            XCTAssertEqual(try NPY.decode(v2), array)
            XCTAssertEqual(headerLength + 12, v2.count - array.bytes.count)
        }
        XCTAssertThrowsError(try NPY.decode(NPY.magic + [4, 0] + Array(v1[8...]), file: "v4.npy")) {
            XCTAssertTrue("\($0)".contains("v4.npy: unsupported .npy format version 4.0"), "\($0)")
        }
    }

    func testLongHeaderUsesVersionTwo() throws {
        let array = NDArray(elementType: .uint8, shape: [Int](repeating: 1, count: 30000), bytes: [7])
        let bytes = NPY.encode(array)
        XCTAssertEqual(bytes[6], 2)
        XCTAssertEqual((Int(bytes.loadLittleEndian(at: 8, width: 4)) + 12) % 64, 0)
        XCTAssertEqual(try NPY.decode(bytes), array)
    }

    func testRejectsGarbageWithTheFileName() {
        XCTAssertThrowsError(try NPY.decode([1, 2, 3], file: "x.npy")) { XCTAssertEqual("\($0)", "x.npy: not a .npy file (bad magic)") }
        let truncated = Array(NPY.encode(NDArray(shape: [4], floats: [1, 2, 3, 4])).dropLast(1))
        XCTAssertThrowsError(try NPY.decode(truncated, file: "t.npy")) { XCTAssertTrue("\($0)".hasPrefix("t.npy: data too short"), "\($0)") }
        let objects = NPY.encode(objects: [NDArray(shape: [1], floats: [1])])
        XCTAssertThrowsError(try NPY.decode(objects, file: "o.npy")) { XCTAssertTrue("\($0)".contains("object array"), "\($0)") }
    }
}
