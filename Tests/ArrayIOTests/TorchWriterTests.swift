@testable import ArrayIO
import Foundation
import TestSupport
import XCTest

/// Checkpoints our zip writer produces read back equal (all dtypes, Parameters, nested containers,
/// the adam.pth layout), with torch's 64-byte storage alignment. `torch.load(weights_only=True)`
/// acceptance was checked with `Tests/Fixtures/arrayio/crosscheck.py` on files from
/// `testExportForPythonCrossCheck` (see that script).
final class TorchWriterTests: XCTestCase {
    /// One small tensor of every element type, including 0-d, empty and non-trivial bit patterns.
    static func allDTypes() -> CheckpointValue {
        func array<T>(_ type: ElementType, _ shape: [Int], _ values: [T]) -> NDArray {
            NDArray(elementType: type, shape: shape, bytes: values.withUnsafeBytes { Array($0) })
        }
        return .orderedDict([
            CheckpointEntry("f32", .array(array(.float32, [2, 3], [Float](arrayLiteral: 1.5, -0.0, .greatestFiniteMagnitude, .leastNonzeroMagnitude, -3.25, 0.1)))),
            CheckpointEntry("f32_scalar", .array(array(.float32, [], [Float(3.25)]))),
            CheckpointEntry("f32_empty", .array(array(.float32, [0, 3], [Float]()))),
            CheckpointEntry("f64", .array(array(.float64, [3], [1.0 / 3.0, -2.5e-300, 1e300]))),
            CheckpointEntry("f16", .array(array(.float16, [4], [UInt16](arrayLiteral: 0x3E00, 0xAE66, 0x7BFF, 0x0400)))),
            CheckpointEntry("i64", .array(array(.int64, [5], [Int64](arrayLiteral: -(1 << 40), -1, 0, 7, 1 << 62)))),
            CheckpointEntry("i64_scalar", .array(array(.int64, [], [Int64(0)]))),
            CheckpointEntry("i32", .array(array(.int32, [1, 2], [Int32](arrayLiteral: -5, 123_456)))),
            CheckpointEntry("i16", .array(array(.int16, [2], [Int16](arrayLiteral: -32768, 32767)))),
            CheckpointEntry("i8", .array(array(.int8, [3], [Int8](arrayLiteral: -128, 0, 127)))),
            CheckpointEntry("u8", .array(array(.uint8, [4], [UInt8](arrayLiteral: 0, 1, 128, 255)))),
            CheckpointEntry("u16", .array(array(.uint16, [3], [UInt16](arrayLiteral: 0, 40000, 65535)))),
            CheckpointEntry("bool", .array(array(.bool, [3], [UInt8](arrayLiteral: 1, 0, 1)))),
            CheckpointEntry("param", .tensor(CheckpointTensor(array(.float32, [1, 2], [Float](arrayLiteral: 0.5, -0.5)),
                                                              requiresGrad: true, isParameter: true))),
            CheckpointEntry("grad", .tensor(CheckpointTensor(array(.float32, [2], [Float](arrayLiteral: 1.5, -2.5)), requiresGrad: true))),
            CheckpointEntry("int", .int(42)), CheckpointEntry("big_int", .int(1 << 40)), CheckpointEntry("neg_int", .int(-7)),
            CheckpointEntry("huge_int", .bigInt([0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0])),  // 2^71
            CheckpointEntry("min_int", .int(Int.min)),
            CheckpointEntry("float", .float(0.1)), CheckpointEntry("true", .bool(true)), CheckpointEntry("false", .bool(false)),
            CheckpointEntry("str", .string("monodepth2 ✓")), CheckpointEntry("none", .none),
            CheckpointEntry("tuple", .tuple([.int(1), .float(2.5), .string("x")])),
            CheckpointEntry("list", .list([.int(1), .int(2), .int(3)])),
            CheckpointEntry("nested", .dict([CheckpointEntry("a", .int(1)),
                                             CheckpointEntry(.int(7), .list([.float(0.5), .dict([CheckpointEntry("f", .bool(false))])]))])),
        ])
    }

    /// The PyTorch optimizer state_dict layout of adam.pth (`trainer.py Trainer.save_model`, `load_model`): state keyed by
    /// parameter index, param_groups with hyper-parameters and the index list.
    static func adamLayout() -> CheckpointValue {
        let shapes = [[2, 3], [3], [1]]
        let state = shapes.enumerated().map { index, shape -> CheckpointEntry in
            let count = shape.reduce(1, *)
            return CheckpointEntry(.int(index), .dict([
                CheckpointEntry("step", .array(NDArray(shape: [], floats: [3]))),
                CheckpointEntry("exp_avg", .array(NDArray(shape: shape, floats: (0..<count).map { Float($0) * 0.25 - 0.5 }))),
                CheckpointEntry("exp_avg_sq", .array(NDArray(shape: shape, floats: (0..<count).map { Float($0) * 1e-6 }))),
            ]))
        }
        return .dict([
            CheckpointEntry("state", .dict(state)),
            CheckpointEntry("param_groups", .list([.dict([
                CheckpointEntry("lr", .float(1e-4)), CheckpointEntry("betas", .tuple([.float(0.9), .float(0.999)])),
                CheckpointEntry("eps", .float(1e-8)), CheckpointEntry("weight_decay", .int(0)),
                CheckpointEntry("amsgrad", .bool(false)), CheckpointEntry("initial_lr", .float(1e-4)),
                CheckpointEntry("params", .list([.int(0), .int(1), .int(2), .int(3)])),
            ])])),
        ])
    }

    func testRoundTripsAllDTypesAndContainers() throws {
        let value = Self.allDTypes()
        XCTAssertEqual(try TorchCheckpoint.decode(try TorchCheckpoint.encode(value)), value)
    }

    func testRoundTripsAdamLayout() throws {
        let value = Self.adamLayout()
        let back = try TorchCheckpoint.decode(try TorchCheckpoint.encode(value))
        XCTAssertEqual(back, value)
        XCTAssertEqual(back["state"]?[.int(2)]?["exp_avg"]?.array?.shape, [1])
        XCTAssertEqual(back["param_groups"]?.items?.first?["lr"]?.doubleValue, 1e-4)
    }

    func testRoundTripsTinyFixture() throws {
        let value = try TorchCheckpoint.read(contentsOf: Fixtures.reference("torch/checkpoints/tiny_legacy.pth"))
        XCTAssertEqual(try TorchCheckpoint.decode(try TorchCheckpoint.encode(value, archiveName: "tiny")), value)
    }

    func testStoragesAreAlignedTo64Bytes() throws {
        let bytes = try TorchCheckpoint.encode(Self.allDTypes(), archiveName: "x")
        let zip = try ZipReader(bytes, file: "x.pth")
        XCTAssertEqual(zip.members.first?.name, "x/data.pkl")
        XCTAssertEqual(try zip.extract(XCTUnwrap(zip.member(named: "x/byteorder"))), Array("little".utf8))
        let storages = zip.members.filter { $0.name.hasPrefix("x/data/") }
        XCTAssertEqual(storages.count, 15)
        for member in zip.members { XCTAssertEqual(try zip.dataRange(of: member).lowerBound % 64, 0, member.name) }
    }

    func testStateDictWriteReadPoseCheckpoint() throws {
        let state = try StateDict.read(contentsOf: Fixtures.reference("torch/checkpoints/pose.pth"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arrayio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var withExtras = state
        withExtras.extras = [("height", .int(192)), ("width", .int(640)), ("use_stereo", .bool(true))]
        let url = folder.appendingPathComponent("pose.pth")
        try withExtras.write(to: url)
        let back = try StateDict.read(contentsOf: url)
        XCTAssertEqual(back.keys, state.keys)
        for (a, b) in zip(back.tensors, state.tensors) { XCTAssertEqual(a.array, b.array, a.key) }
        XCTAssertEqual(back.extras.map(\.key), ["height", "width", "use_stereo"])
        XCTAssertEqual(back.extra("use_stereo"), .bool(true))
    }

    func testStateDictNeedsADictWithStringKeys() {
        XCTAssertThrowsError(try StateDict(.list([]), file: "l.pth")) { XCTAssertEqual("\($0)", "l.pth: checkpoint is not a dict of tensors") }
        XCTAssertThrowsError(try StateDict(Self.adamLayout()["state"]!, file: "a.pth")) { XCTAssertTrue("\($0)".contains("is not a string"), "\($0)") }
    }

    func testRejectsUnpicklableKeys() {
        let value = CheckpointValue.dict([CheckpointEntry(.list([]), .none)])
        XCTAssertThrowsError(try TorchCheckpoint.encode(value))
    }

    /// Writes the cross-check files for `Tests/Fixtures/arrayio/crosscheck.py` into
    /// `$MD2_ARRAYIO_EXPORT` (opt-in; nothing happens without the variable).
    func testExportForPythonCrossCheck() throws {
        guard let path = ProcessInfo.processInfo.environment["MD2_ARRAYIO_EXPORT"], !path.isEmpty else {
            throw XCTSkip("set MD2_ARRAYIO_EXPORT=/some/folder to export cross-check files")
        }
        let folder = URL(fileURLWithPath: path)
        try TorchCheckpoint.write(Self.allDTypes(), to: folder.appendingPathComponent("all_dtypes.pth"))
        try TorchCheckpoint.write(Self.adamLayout(), to: folder.appendingPathComponent("adam.pth"))
        let tiny = try TorchCheckpoint.read(contentsOf: Fixtures.reference("torch/checkpoints/tiny_legacy_cuda.pth"))
        try TorchCheckpoint.write(tiny, to: folder.appendingPathComponent("tiny_rewritten.pth"))
        try StateDict.read(contentsOf: Fixtures.reference("torch/checkpoints/encoder.pth")).write(to: folder.appendingPathComponent("encoder_rewritten.pth"))
        let maps = try (0..<3).map { try Fixtures.npy("io/npy/gt_ragged_\($0).npy") }
        try NPZ.write([("data", .objects(maps))], to: folder.appendingPathComponent("ragged_stored.npz"), compressed: false)
        try NPY.write(maps[1], to: folder.appendingPathComponent("map1.npy"))
        try FileBytes.write(NPY.encode(maps[1], fortranOrder: true, bigEndian: true), to: folder.appendingPathComponent("map1_fortran_big.npy"))
        try FileBytes.write(NPY.encode(objects: maps), to: folder.appendingPathComponent("ragged_objects.npy"))
        try NPZ.write([("data", .objects(maps)), ("same", .array(maps[0]))], to: folder.appendingPathComponent("ragged_compressed.npz"), compressed: true)
    }
}
