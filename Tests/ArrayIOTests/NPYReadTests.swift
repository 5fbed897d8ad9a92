import ArrayIO
import TestSupport
import XCTest

final class NPYReadTests: XCTestCase {
    func testReadsFloat32() throws {
        let array = try Fixtures.npy("io/npy/f32.npy")
        XCTAssertEqual(array.shape, [3, 4])
        XCTAssertEqual(array.elementType, .float32)
        // First values as NumPy gives them (str(np.load(...).ravel()[i]), shortest round-trip).
        XCTAssertEqual(Array(array.floatValues().prefix(4)), [0.18026969, 0.019475242, 0.46321854, 0.7249339])
    }

    func testFortranAndBigEndianMatchCOrderLittleEndian() throws {
        // Logical (row-major, native) values as NumPy prints them.
        let fortran = try Fixtures.npy("io/npy/fortran_f32.npy")
        XCTAssertEqual(fortran.shape, [3, 5])
        XCTAssertEqual(Array(fortran.floatValues().prefix(3)), [0.036942728, 0.005999679, 0.9238499])
        let big = try Fixtures.npy("io/npy/bigendian_f32.npy")
        XCTAssertEqual(big.shape, [4, 2])
        XCTAssertEqual(Array(big.floatValues().prefix(3)), [0.21480359, 0.9511079, 0.33474034])
    }

    func testRejectsGarbage() {
        XCTAssertThrowsError(try NPY.decode([1, 2, 3], file: "x.npy")) { error in
            XCTAssertTrue("\(error)".contains("x.npy"))
        }
    }
}
