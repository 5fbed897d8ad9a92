import Codecs
import ImageIO
import Kernels
import XCTest

/// Mutated fixtures (bit flips, truncations, insertions, overwrites), half of them with chunk
/// CRCs repaired so the damage reaches the header, palette and image-data code: decoding must
/// throw `ImageIOError` or return a consistent image, never trap. Seeded; `MD2_LONG_TESTS=1`
/// runs 20 times more cases.
final class PNGFuzzTests: XCTestCase {
    private let names = [
        "rgb8", "rgba8", "gray8", "graya8", "palette", "depth16", "gray1bit", "gray2bit", "gray4bit",
        "rgb8_adam7", "rgba8_adam7", "gray16_adam7", "palette4bit_adam7", "gray1bit_adam7_7x5",
        "gray2bit_adam7", "gray8_adam7_3x3", "rgb8_allfilters_3idat",
    ]

    func testMutatedFixturesNeverCrash() throws {
        let sources = try names.map { try pngFixtureBytes("\($0).png") }
        var rng = SplitMix64(seed: 2024)
        var decodedCount = 0
        let iterations = 8000 * (longTestsEnabled ? 20 : 1)
        for iteration in 0..<iterations {
            var bytes = sources[iteration % sources.count]
            for _ in 0..<(1 + rng.next() % 3) { mutate(&bytes, using: &rng) }
            if rng.next() % 2 == 0 { repairCRCs(&bytes) }
            do {
                let image = try PNG.decode(bytes, file: "fuzz.png", maximumPixels: 1 << 22)
                checkConsistent(image)
                decodedCount += 1
            } catch {
                XCTAssertEqual(error.file, "fuzz.png")
            }
        }
        // Some mutations (in skipped chunks, pixel values) leave valid files: the check has teeth
        // in both directions.
        XCTAssertGreaterThan(decodedCount, 0)
        XCTAssertLessThan(decodedCount, iterations)
    }

    private func mutate(_ bytes: inout [UInt8], using rng: inout SplitMix64) {
        guard !bytes.isEmpty else { return }
        let index = Int(rng.next() % UInt64(bytes.count))
        switch rng.next() % 5 {
        case 0: bytes[index] ^= 1 << (rng.next() % 8)
        case 1: bytes.removeLast(Int(rng.next() % UInt64(bytes.count)))
        case 2: bytes.insert(contentsOf: (0..<(1 + rng.next() % 6)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: index)
        case 3: bytes[index] = UInt8(truncatingIfNeeded: rng.next())
        default:
            // Header fields are where the interesting sizes live: hit IHDR's data (bytes 16...28).
            if bytes.count > 29 { bytes[16 + Int(rng.next() % 13)] = UInt8(truncatingIfNeeded: rng.next()) }
        }
    }

    /// Recomputes the CRC of every complete chunk, so mutations are not all caught by CRC checks.
    private func repairCRCs(_ bytes: inout [UInt8]) {
        var offset = 8
        while bytes.count - offset >= 12 {
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length <= bytes.count - offset - 12 else { return }
            let crc = CRC32.checksum(Array(bytes[(offset + 4)..<(offset + 8 + length)]))
            let at = offset + 8 + length
            bytes[at] = UInt8(crc >> 24)
            bytes[at + 1] = UInt8((crc >> 16) & 0xFF)
            bytes[at + 2] = UInt8((crc >> 8) & 0xFF)
            bytes[at + 3] = UInt8(crc & 0xFF)
            offset = at + 4
        }
    }

    private func checkConsistent(_ image: PNGImage) {
        switch image {
        case .eightBit(let pixels), .bilevel(let pixels):
            XCTAssertEqual(pixels.pixels.count, pixels.width * pixels.height * pixels.channels)
        case .indexed(let indices, let palette):
            XCTAssertEqual(indices.pixels.count, indices.width * indices.height)
            XCTAssertEqual(palette.rgb(indices: indices).pixels.count, indices.pixels.count * 3)
        case .sixteenBit(let samples):
            XCTAssertEqual(samples.samples.count, samples.width * samples.height * samples.channels)
        }
    }
}
