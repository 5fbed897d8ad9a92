@testable import ArrayIO
import Foundation
import Kernels
import TestSupport
import XCTest

/// Corrupted `.pth`, `.npz` and `.npy` files only ever produce a typed `ArrayIOError` (the decoders'
/// `throws(ArrayIOError)` makes any other error impossible; a crash would end the test run).
/// Seeded, a few thousand mutations per format; `MD2_LONG_TESTS=1` runs 25x more.
final class FuzzTests: XCTestCase {
    private var iterations: Int { ProcessInfo.processInfo.environment["MD2_LONG_TESTS"] == "1" ? 50_000 : 2_000 }

    private static let interesting: [UInt64] = [0, 1, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
                                                 0x1_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, ~0]

    private func mutate(_ original: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = original
        for _ in 0...random.below(3) {
            guard !bytes.isEmpty else { break }
            switch random.below(7) {
            case 0: bytes.removeLast(random.below(bytes.count) + 1)  // truncate
            case 1:  // bit flips
                for _ in 0...random.below(4) { bytes[random.below(bytes.count)] ^= 1 << UInt8(random.below(8)) }
            case 2: bytes[random.below(bytes.count)] = UInt8(truncatingIfNeeded: random.next())
            case 3:  // an interesting 2/4/8-byte little-endian value
                let width = [2, 4, 8][random.below(3)]
                guard bytes.count > width else { break }
                let at = random.below(bytes.count - width)
                var value = Self.interesting[random.below(Self.interesting.count)]
                for index in 0..<width { bytes[at + index] = UInt8(truncatingIfNeeded: value); value >>= 8 }
            case 4:  // delete a range
                let start = random.below(bytes.count)
                bytes.removeSubrange(start..<min(bytes.count, start + 1 + random.below(64)))
            case 5:  // duplicate a range
                let start = random.below(bytes.count)
                let range = start..<min(bytes.count, start + 1 + random.below(64))
                bytes.insert(contentsOf: bytes[range], at: random.below(bytes.count))
            default:  // pickle-ish: an arbitrary opcode byte somewhere in the first 2 KiB
                bytes[random.below(min(bytes.count, 2048))] = UInt8(truncatingIfNeeded: random.next())
            }
        }
        return bytes
    }

    private func fuzz(_ name: String, seed: UInt64, _ original: [UInt8], _ decode: ([UInt8]) throws(ArrayIOError) -> Void) {
        var random = SplitMix64(seed: seed)
        var errors = 0
        for _ in 0..<iterations {
            do { try decode(mutate(original, &random)) } catch { errors += 1; XCTAssertFalse(error.file.isEmpty) }
        }
        // Most mutations must be detected; a few (e.g. a flipped bit in a float value) are harmless.
        XCTAssertGreaterThan(errors, iterations / 4, name)
    }

    private func fixture(_ path: String) throws -> [UInt8] { try FileBytes.read(contentsOf: Fixtures.reference(path)) }

    func testCheckpoints() throws {
        for (index, name) in ["tiny_legacy.pth", "tiny_zip.pth", "tiny_legacy_cuda.pth"].enumerated() {
            fuzz(name, seed: UInt64(index), try fixture("torch/checkpoints/\(name)")) { bytes throws(ArrayIOError) in
                _ = try TorchCheckpoint.decode(bytes, file: name)
            }
        }
        let written = try TorchCheckpoint.encode(TorchWriterTests.adamLayout())
        fuzz("written adam.pth", seed: 7, written) { bytes throws(ArrayIOError) in _ = try TorchCheckpoint.decode(bytes, file: "adam.pth") }
    }

    func testArchivesAndArrays() throws {
        fuzz("plain_two_arrays.npz", seed: 11, try fixture("io/npy/plain_two_arrays.npz")) { bytes throws(ArrayIOError) in
            _ = try NPZ.decode(bytes, file: "a.npz")
        }
        let ragged = try NPZ.encode([("data", .objects([NDArray(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6]), NDArray(shape: [1], floats: [7])]))],
                                    compressed: false)
        fuzz("ragged npz", seed: 12, ragged) { bytes throws(ArrayIOError) in _ = try NPZ.decode(bytes, file: "r.npz") }
        let maps = [NDArray(shape: [3, 40], floats: (0..<120).map { Float($0 % 7) }), NDArray(shape: [2], floats: [1, 2])]
        let compressed = try NPZ.encode([("data", .objects(maps)), ("plain", .array(maps[0]))], compressed: true)
        fuzz("compressed npz", seed: 14, compressed) { bytes throws(ArrayIOError) in _ = try NPZ.decode(bytes, file: "c.npz") }
        fuzz("gt_same_compressed.npz", seed: 15, try fixture("io/npy/gt_same_compressed.npz")) { bytes throws(ArrayIOError) in
            _ = try NPZ.decode(bytes, file: "s.npz")
        }
        // NumPy 1.23's protocol-3 object-array pickle (the .npy member of the uncompressed ragged archive).
        let numpy1 = try ZipReader(try fixture("io/npy/gt_ragged_numpy1_uncompressed.npz"), file: "n.npz")
        let member = try numpy1.extract(try XCTUnwrap(numpy1.member(named: "data.npy")))
        fuzz("numpy1 ragged pickle", seed: 13, member) { bytes throws(ArrayIOError) in _ = try NPY.decodeEntry(bytes, file: "n.npy") }
        for (index, name) in ["f32.npy", "fortran_f32.npy", "bigendian_f32.npy", "scalar_f32.npy"].enumerated() {
            fuzz(name, seed: 20 + UInt64(index), try fixture("io/npy/\(name)")) { bytes throws(ArrayIOError) in _ = try NPY.decodeEntry(bytes, file: name) }
        }
    }

    // MARK: targeted corruptions, each with its message

    private func patched(_ bytes: [UInt8], replacing old: [UInt8], with new: [UInt8]) throws -> [UInt8] {
        precondition(old.count == new.count, "patched: same length only")
        let start = try XCTUnwrap((0...(bytes.count - old.count)).first { Array(bytes[$0..<($0 + old.count)]) == old })
        var result = bytes
        result.replaceSubrange(start..<(start + old.count), with: new)
        return result
    }

    private func assertError(_ bytes: [UInt8], contains text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try TorchCheckpoint.decode(bytes, file: "t.pth"), file: file, line: line) {
            XCTAssertTrue("\($0)".contains(text), "\($0)", file: file, line: line)
        }
    }

    func testGlobalOutsideTheAllowList() throws {
        let legacy = try fixture("torch/checkpoints/tiny_legacy.pth")
        assertError(try patched(legacy, replacing: Array("collections\nOrderedDict".utf8), with: Array("subprocess\ncheck_output".utf8)),
                    contains: "global 'subprocess.check_output' is not allowed")
    }

    func testUnsupportedOpcode() throws {
        let legacy = try fixture("torch/checkpoints/tiny_legacy.pth")
        // The object pickle starts at offset 137: PROTO 2, then GLOBAL -> 0xF0.
        var bytes = legacy
        XCTAssertEqual(Array(bytes[137..<140]), [0x80, 0x02, 0x63])
        bytes[139] = 0xF0
        assertError(bytes, contains: "unsupported opcode 0xf0")
    }

    func testStorageShorterThanTheTensor() throws {
        // f32 (3, 4) over a 12-element storage: size (3, 4) -> (3, 9) needs 27 elements.
        let legacy = try fixture("torch/checkpoints/tiny_legacy.pth")
        assertError(try patched(legacy, replacing: [0x51, 0x4B, 0, 0x4B, 3, 0x4B, 4, 0x86], with: [0x51, 0x4B, 0, 0x4B, 3, 0x4B, 9, 0x86]),
                    contains: "holds 12 elements, too few for a tensor of size [3, 9]")
        // The legacy storage block itself cut short.
        assertError(Array(legacy.dropLast(5)), contains: "runs past the end of the file")
    }

    func testBadZipDirectory() throws {
        let zip = try fixture("torch/checkpoints/tiny_zip.pth")
        var bytes = zip
        let directory = try XCTUnwrap((0..<(bytes.count - 4)).first { bytes[$0..<($0 + 4)] == [0x50, 0x4B, 1, 2] })
        bytes[directory] = 0x51
        assertError(bytes, contains: "bad central directory entry signature")
        assertError(Array(zip.dropLast(10)), contains: "no end of central directory record")
        // A storage member's bytes changed: the CRC catches it.
        var flipped = zip
        flipped[2176] ^= 0x40  // tiny_zip/data/0 starts at 2176
        assertError(flipped, contains: "CRC mismatch in 'tiny_zip/data/0'")
    }
}

private extension SplitMix64 {
    /// A value in 0..<bound (0 when bound <= 1).
    mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }
}
