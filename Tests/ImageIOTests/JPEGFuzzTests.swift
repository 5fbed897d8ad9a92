import Foundation
import ImageIO
import Kernels
import TestSupport
import XCTest

/// Mutated fixtures must decode to a well-formed image or throw `ImageIOError` naming the file; never
/// crash. Seeded and count-based (the same mutations on every machine, however fast): ITERATIONS
/// mutations by default; MD2_LONG_TESTS=1 runs LONG_ITERATIONS more per seed, 4 seeds.
final class JPEGFuzzTests: XCTestCase {

    /// Reference fixtures, then bundled small ones (progressive with restarts, 4:1:1, optimized tables).
    static let names = ["odd_37x23", "q90_440", "gray_q90", "progressive_420", "restart_420", "q85_422", "test_image"]
    static let bundledNames = ["progressive_restart_29x19", "s411_37x11", "progressive_optimized_41x23",
                               "restart_every_mcu_33x17", "grey_progressive_13x9"]

    /// Offsets of the markers (0xFF followed by a non-zero, non-0xFF byte) before the first SOS data.
    func markerOffsets(_ bytes: [UInt8]) -> [Int] {
        var offsets: [Int] = []
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0xFF && bytes[i + 1] != 0 && bytes[i + 1] != 0xFF { offsets.append(i) }
            i += 1
        }
        return offsets
    }

    func mutate(_ original: [UInt8], _ markers: [Int], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = original
        switch rng.next() % 8 {
        case 0:  // bit flips anywhere
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[i] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
            }
        case 1:  // truncation
            bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
        case 2:  // marker code replaced
            let m = markers.randomElement(using: &rng) ?? 0
            if m + 1 < bytes.count { bytes[m + 1] = UInt8.random(in: 0...255, using: &rng) }
        case 3:  // segment length corrupted
            let m = markers.randomElement(using: &rng) ?? 0
            if m + 3 < bytes.count {
                bytes[m + 2] = UInt8.random(in: 0...255, using: &rng)
                bytes[m + 3] = UInt8.random(in: 0...255, using: &rng)
            }
        case 4:  // absurd or random frame header fields (size, component count, sampling, tables)
            if let sof = markers.first(where: { bytes[$0 + 1] >= 0xC0 && bytes[$0 + 1] <= 0xC2 }), sof + 18 < bytes.count {
                let field = Int.random(in: 0..<5, using: &rng)
                switch field {
                case 0: bytes[sof + 5...sof + 8] = [0xFF, 0xFF, 0xFF, 0xFF][...]  // 65535 x 65535
                case 1: bytes[sof + 5] = UInt8.random(in: 0...255, using: &rng); bytes[sof + 7] = UInt8.random(in: 0...255, using: &rng)
                case 2: bytes[sof + 9] = UInt8.random(in: 0...5, using: &rng)
                case 3: bytes[sof + 11] = UInt8.random(in: 0...255, using: &rng)  // sampling factors
                default: bytes[sof + 12] = UInt8.random(in: 0...5, using: &rng)  // quantisation table
                }
            }
        case 5:  // random byte run overwritten
            let start = Int.random(in: 0..<bytes.count, using: &rng)
            for i in start..<min(bytes.count, start + Int.random(in: 1...32, using: &rng)) {
                bytes[i] = UInt8.random(in: 0...255, using: &rng)
            }
        case 6:  // bytes removed or duplicated (shifts everything after)
            let start = Int.random(in: 0..<bytes.count, using: &rng)
            let length = Int.random(in: 1...16, using: &rng)
            if rng.next() % 2 == 0 {
                bytes.removeSubrange(start..<min(bytes.count, start + length))
            } else {
                bytes.insert(contentsOf: bytes[start..<min(bytes.count, start + length)], at: start)
            }
        default:  // header-only file with an absurd frame: SOI, SOF 65535x65535, SOS, EOI
            let w = UInt8.random(in: 0...255, using: &rng), h = UInt8.random(in: 0...255, using: &rng)
            bytes = [0xFF, 0xD8, 0xFF, 0xC0, 0, 17, 8, h, 0xFF, w, 0xFF, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
                     0xFF, 0xDA, 0, 12, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0, 0xFF, 0xD9]
        }
        return bytes
    }

    /// Runs `iterations` seeded mutations; returns how many decoded and how many were refused.
    @discardableResult
    func run(iterations: Int, seed: UInt64) throws -> (decoded: Int, refused: Int) {
        let inputs = try Self.bundledNames.map { try [UInt8](Data(contentsOf: Fixtures.bundled("jpeg/\($0).jpg"))) }
            + Self.names.map { try [UInt8](Data(contentsOf: Fixtures.reference("io/jpeg/\($0).jpg"))) }
        let markers = inputs.map(markerOffsets)
        var rng = SplitMix64(seed: seed)
        var decoded = 0, refused = 0
        for iteration in 0..<iterations {
            // Small files get most of the iterations (each decode of them is fast).
            let small = Self.bundledNames.count + 1
            let pick = rng.next() % 4 == 0 ? Int.random(in: 0..<inputs.count, using: &rng) : Int(rng.next() % UInt64(small))
            let bytes = mutate(inputs[pick], markers[pick], &rng)
            let file = "fuzz-\(seed)-\(iteration).jpg"
            do {
                let image = try JPEG.decode(bytes, file: file)
                XCTAssertEqual(image.pixels.count, image.width * image.height * image.channels, file)
                XCTAssertTrue(image.channels == 1 || image.channels == 3, file)
                decoded += 1
            } catch {
                XCTAssertEqual(error.file, file)
                XCTAssertFalse(error.problem.isEmpty)
                refused += 1
            }
            _ = try? JPEG.dimensions(bytes, file: file)
        }
        print("JPEG fuzz seed \(seed): \(iterations) mutations, \(decoded) decoded, \(refused) refused with a typed error")
        XCTAssertEqual(decoded + refused, iterations)
        return (decoded, refused)
    }

    func testMutatedFixturesNeverCrash() throws {
        let (decoded, refused) = try run(iterations: 3000, seed: 20_261_125)
        // Both outcomes occur: the mutations reach the decoder's success path and its error paths.
        XCTAssertGreaterThan(decoded, 0)
        XCTAssertGreaterThan(refused, 0)
    }

    func testLongFuzz() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["MD2_LONG_TESTS"] == "1", "set MD2_LONG_TESTS=1 to run")
        for seed in UInt64(1)...4 { try run(iterations: 100_000, seed: seed) }
    }

    func testRefusesUnsupportedAndAbsurdFiles() throws {
        let base = try [UInt8](Data(contentsOf: Fixtures.reference("io/jpeg/odd_37x23.jpg")))
        let sof = try XCTUnwrap(markerOffsets(base).first { base[$0 + 1] == 0xC0 })
        func refused(_ bytes: [UInt8], _ fragment: String, line: UInt = #line) {
            XCTAssertThrowsError(try JPEG.decode(bytes, file: "x.jpg"), line: line) { error in
                XCTAssertTrue("\(error)".hasPrefix("x.jpg: "), "\(error)", line: line)
                XCTAssertTrue("\(error)".contains(fragment), "\(error)", line: line)
            }
        }
        var huge = base
        huge[sof + 5...sof + 8] = [0xFF, 0xDC, 0xFF, 0xDC][...]  // 65500 x 65500
        refused(huge, "exceeds the limit")
        var wide = base
        wide[sof + 7...sof + 8] = [0xFD, 0xE8][...]  // 65000 x 23: allowed size, but far more blocks than bytes
        refused(wide, "more than a")
        for (code, word) in [(0xC3, "lossless"), (0xC9, "arithmetic"), (0xC5, "hierarchical")] {
            var other = base
            other[sof + 1] = UInt8(code)
            refused(other, word)
        }
        var twelveBit = base
        twelveBit[sof + 4] = 12
        refused(twelveBit, "12-bit")
        var cmyk = base
        cmyk[sof + 9] = 4
        refused(cmyk, "CMYK")
        refused(Array(base.prefix(base.count - 200)), "truncated")
        refused([0x89, 0x50, 0x4E, 0x47], "not a JPEG")
        refused([], "not a JPEG")
    }
}
