@testable import ArrayIO
import TestSupport
import XCTest

/// The `.npz` fixtures (NumPy 2.4.6 and 1.23.5 writers) against their `.npy` twins; the pairings
/// (`plain_two_arrays` a = f32, b = i64; `gt_same_compressed` data = stack(gt_ragged_0, gt_ragged_2);
/// ragged data[i] = gt_ragged_i, float32) were checked with `np.array_equal` in NumPy 2.4.6.
final class NPZFixtureTests: XCTestCase {
    private func npz(_ name: String) throws -> [String: NPZEntry] { try NPZ.read(contentsOf: Fixtures.reference("io/npy/\(name)")) }
    private func ragged() throws -> [NDArray] { try (0..<3).map { try Fixtures.npy("io/npy/gt_ragged_\($0).npy") } }

    func testStoredTwoArrays() throws {
        let entries = try npz("plain_two_arrays.npz")
        XCTAssertEqual(Set(entries.keys), ["a", "b"])
        let (a, b) = (try Fixtures.npy("io/npy/f32.npy"), try Fixtures.npy("io/npy/i64.npy"))
        XCTAssertEqual(entries["a"], .array(a))
        XCTAssertEqual(entries["b"], .array(b))
    }

    /// `np.savez` style is reproduced byte for byte (zip64 local extra, dates, attributes, order).
    func testSavezBytesMatchNumPy() throws {
        let original = try FileBytes.read(contentsOf: Fixtures.reference("io/npy/plain_two_arrays.npz"))
        let entries = try NPZ.decode(original)
        XCTAssertEqual(try NPZ.encode(entries.map { ($0.key, $0.entry) }, compressed: false), original)
    }

    func testRaggedNumPy1Uncompressed() throws {
        let entries = try npz("gt_ragged_numpy1_uncompressed.npz")
        XCTAssertEqual(Array(entries.keys), ["data"])
        let maps = try ragged()
        XCTAssertEqual(entries["data"], .objects(maps))
    }

    func testRaggedCompressedNumPy2AndNumPy1() throws {
        let expected = try ragged()
        let (modern, numpy1) = (try npz("gt_ragged_compressed.npz"), try npz("gt_ragged_numpy1_compressed.npz"))
        XCTAssertEqual(modern["data"], .objects(expected))
        XCTAssertEqual(numpy1["data"], .objects(expected))
    }

    func testSameShapeCompressed() throws {
        let maps = try ragged()
        let data = try XCTUnwrap(try npz("gt_same_compressed.npz")["data"]?.array)
        XCTAssertEqual(data.elementType, .float32)
        XCTAssertEqual(data.shape, [2, 37, 120])
        XCTAssertEqual(data.bytes, maps[0].bytes + maps[2].bytes)
        XCTAssertEqual(NPZEntry.array(data).arrays(), [maps[0], maps[2]])
    }

    func testObjectArrayWriteReadsBack() throws {
        let maps = try ragged()
        for compressed in [false, true] {
            let bytes = try NPZ.encode([("data", .objects(maps)), ("plain", .array(maps[1]))], compressed: compressed)
            let back = try NPZ.decode(bytes)
            XCTAssertEqual(back.map(\.key), ["data", "plain"])
            XCTAssertEqual(back[0].entry, .objects(maps))
            XCTAssertEqual(back[1].entry, .array(maps[1]))
        }
    }

    /// The object-array header matches NumPy's byte for byte (NumPy 1.23.5's `data.npy` member).
    func testObjectArrayHeaderMatchesNumPy() throws {
        let zip = try ZipReader(try FileBytes.read(contentsOf: Fixtures.reference("io/npy/gt_ragged_numpy1_uncompressed.npz")), file: "n.npz")
        let member = try zip.extract(try XCTUnwrap(zip.member(named: "data.npy")))
        let maps = try ragged()
        XCTAssertEqual(Array(NPY.encode(objects: maps).prefix(128)), Array(member.prefix(128)))
    }

    func testCRCIsChecked() throws {
        var bytes = try FileBytes.read(contentsOf: Fixtures.reference("io/npy/plain_two_arrays.npz"))
        bytes[200] ^= 0x01  // inside a.npy's float data
        XCTAssertThrowsError(try NPZ.decode(bytes, file: "bad.npz")) { XCTAssertTrue("\($0)".contains("bad.npz: zip: CRC mismatch in 'a.npy'"), "\($0)") }
    }

    func testAtomicWriteReplacesFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arrayio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("gt.npz")
        let a = NDArray(shape: [2], floats: [1, 2])
        try NPZ.write([("data", .array(a))], to: url, compressed: false)
        try NPZ.write([("data", .objects([a, a]))], to: url, compressed: false)
        XCTAssertEqual(try NPZ.read(contentsOf: url)["data"], .objects([a, a]))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["gt.npz"])
        XCTAssertThrowsError(try NPZ.write([], to: folder.appendingPathComponent("missing/x.npz"), compressed: false))
    }
}
