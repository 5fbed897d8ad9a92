import Foundation
import TestSupport
import XCTest
@testable import KITTIData

/// `PseudoInverse.pinv4x4` against NumPy's `np.linalg.pinv`, bit for bit
/// (Tests/Tools/make_pinv_fixture.py): KITTI's K at every training size and scale, random pinhole
/// cameras (some skewed) and dense random matrices.
final class PseudoInverseTests: XCTestCase {
    struct Fixture: Decodable {
        struct Case: Decodable {
            var name: String
            var group: String
            var K: [String]
            var inv_K: [String]
        }
        var numpy_version: String
        var OPENBLAS_CORETYPE: String
        var cases: [Case]
    }

    func testMatchesNumPyBitForBit() throws {
        let url = Fixtures.bundled("kitti_samples/pinv_cases.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        XCTAssertGreaterThanOrEqual(fixture.cases.count, 250)
        var matched: [String: Int] = [:]
        for testCase in fixture.cases {
            let k = try testCase.K.map { try Self.float($0, testCase.name) }
            let ours = PseudoInverse.pinv4x4(k).map { String(format: "%08x", $0.bitPattern) }
            XCTAssertEqual(ours, testCase.inv_K, "\(testCase.name): pinv differs from NumPy \(fixture.numpy_version)")
            if ours == testCase.inv_K { matched[testCase.group, default: 0] += 1 }
        }
        XCTAssertEqual(matched["kitti"], 24)
        XCTAssertGreaterThan(matched["camera"] ?? 0, 0)
        XCTAssertGreaterThan(matched["generic"] ?? 0, 0)
    }

    /// The exact inverse is not what NumPy returns: the SVD's round-off must show.
    func testKITTIInverseCarriesNumPysRoundOff() {
        let inverse = PseudoInverse.pinv4x4(Intrinsics.scaled(width: 640, height: 192))
        XCTAssertNotEqual(inverse[1], 0)  // exact inverse: 0 (NumPy: -5.3e-11)
        XCTAssertNotEqual(inverse[8], 0)  // exact inverse: 0 (NumPy: -8.9e-11)
        XCTAssertEqual(Array(inverse[12...]), [0, 0, 0, 1])
    }

    /// A singular K keeps NumPy's cutoff: its null direction gets a zero reciprocal, not infinity.
    func testSingularMatrixStaysFinite() {
        let singular: [Float] = [1, 2, 0, 0, 2, 4, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]
        XCTAssertTrue(PseudoInverse.pinv4x4(singular).allSatisfy(\.isFinite))
        XCTAssertTrue(PseudoInverse.pinv4x4([Float](repeating: .nan, count: 16)).allSatisfy(\.isNaN))
    }

    static func float(_ hex: String, _ name: String) throws -> Float {
        Float(bitPattern: try XCTUnwrap(UInt32(hex, radix: 16), "\(name): bad hex \(hex)"))
    }
}
