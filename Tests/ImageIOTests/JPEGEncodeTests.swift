import Foundation
@testable import ImageIO
import TestSupport
import XCTest

final class JPEGEncodeTests: XCTestCase {
    /// The demo image as Pillow decodes it (io/jpeg/test_image.npy, 235x638 RGB): the source that
    /// make_io.py saved as q92_420.jpg, q75_444.jpg and q85_422.jpg.
    func demoImage() throws -> Image {
        let array = try Fixtures.npy("io/jpeg/test_image.npy")
        XCTAssertEqual(array.shape, [235, 638, 3])
        return Image(width: array.shape[1], height: array.shape[0], channels: 3, pixels: array.bytes)
    }

    /// Pillow's encoder (libjpeg-turbo 3.2, via `save(quality=, subsampling=)`) wrote these files from
    /// the same pixels; our encoder follows libjpeg-turbo's arithmetic, so the bytes must be identical.
    func testBytesIdenticalToPillowEncoder() throws {
        let image = try demoImage()
        let cases: [(String, Int, JPEGSubsampling)] = [("q92_420", 92, .s420), ("q75_444", 75, .s444), ("q85_422", 85, .s422)]
        for (name, quality, subsampling) in cases {
            let expected = try [UInt8](Data(contentsOf: Fixtures.reference("io/jpeg/\(name).jpg")))
            let encoded = JPEG.encode(image, quality: quality, subsampling: subsampling)
            XCTAssertEqual(encoded.count, expected.count, name)
            let first = zip(encoded, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            XCTAssertNil(first, "\(name): first differing byte at offset \(first ?? -1)")
        }
    }

    func psnr(_ a: [UInt8], _ b: [UInt8]) -> Double {
        var sum = 0.0
        for i in 0..<a.count {
            let d = Double(a[i]) - Double(b[i])
            sum += d * d
        }
        let mse = sum / Double(a.count)
        return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
    }

    func testRoundTripQuality95() throws {
        let image = try demoImage()
        // Pillow's own q95 round trips of this image give 38.662 (4:2:0), 40.219 (4:2:2) and 45.830 dB
        // (4:4:4): 4:2:0 chroma averaging alone keeps it below 40 dB on this photo. Our files are
        // byte-identical to Pillow's, so the same numbers are expected here.
        let cases: [(JPEGSubsampling, Double)] = [(.s420, 38.661987), (.s422, 40.219199), (.s444, 45.829859)]
        for (subsampling, pillow) in cases {
            let decoded = try JPEG.decode(JPEG.encode(image, quality: 95, subsampling: subsampling), file: "round trip")
            XCTAssertEqual([decoded.width, decoded.height, decoded.channels], [638, 235, 3])
            let value = psnr(decoded.pixels, image.pixels)
            XCTAssertEqual(value, pillow, accuracy: 1e-5, "PSNR at q95 \(subsampling)")
            if subsampling != .s420 { XCTAssertGreaterThan(value, 40) }
        }
        // Grey: the G channel as a grey image.
        let grey = Image(width: image.width, height: image.height, channels: 1,
                         pixels: (0..<(image.width * image.height)).map { image.pixels[3 * $0 + 1] })
        let decoded = try JPEG.decode(JPEG.encode(grey, quality: 95), file: "grey round trip")
        XCTAssertEqual([decoded.width, decoded.height, decoded.channels], [638, 235, 1])
        XCTAssertGreaterThan(psnr(decoded.pixels, grey.pixels), 40)
    }

    /// Odd sizes exercise the edge replication and libjpeg's dummy blocks; every size must decode
    /// back to its size with a sane PSNR (a smooth gradient, q95).
    func testOddSizesRoundTrip() throws {
        for (width, height) in [(1, 1), (2, 3), (7, 9), (17, 15), (33, 1), (1, 40)] {
            var pixels: [UInt8] = []
            for y in 0..<height {
                for x in 0..<width { pixels += [UInt8(60 + 3 * x), UInt8(40 + 2 * y), UInt8(90 + x + y)] }
            }
            let image = Image(width: width, height: height, channels: 3, pixels: pixels)
            for subsampling in [JPEGSubsampling.s420, .s422, .s444] {
                let decoded = try JPEG.decode(JPEG.encode(image, quality: 95, subsampling: subsampling), file: "odd")
                XCTAssertEqual([decoded.width, decoded.height], [width, height])
                XCTAssertGreaterThan(psnr(decoded.pixels, pixels), 35, "\(width)x\(height) \(subsampling)")
            }
        }
    }

    /// A sequential file with one scan per component decodes through the coefficient store; the
    /// coefficients equal the interleaved file's, so the pixels must be identical. (Pillow's decode of
    /// such files was checked equal to ours once, see the JPEG report.)
    func testOneScanPerComponentDecodesLikeInterleaved() throws {
        let image = try demoImage()
        for subsampling in [JPEGSubsampling.s420, .s444] {
            let interleaved = JPEG.encode(image, quality: 90, subsampling: subsampling)
            let perComponent = JPEGEncoder(image: image, quality: 90, subsampling: subsampling, interleaved: false).encode()
            XCTAssertNotEqual(interleaved, perComponent)
            if let folder = ProcessInfo.processInfo.environment["MD2_JPEG_BENCH_DUMP"] {
                try Data(perComponent).write(to: URL(fileURLWithPath: folder).appendingPathComponent("three_scans_\(subsampling).jpg"))
            }
            XCTAssertEqual(try JPEG.decode(perComponent).pixels, try JPEG.decode(interleaved).pixels, "\(subsampling)")
        }
    }

    func testWriteIsAtomicAndReadable() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jpeg-write-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("out_disp.jpeg")
        let image = try demoImage()
        try JPEG.write(image, to: url)
        try JPEG.write(image, to: url, quality: 80)  // replaces the existing file
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["out_disp.jpeg"])
        XCTAssertEqual(try [UInt8](Data(contentsOf: url)), JPEG.encode(image, quality: 80))
        XCTAssertThrowsError(try JPEG.write(image, to: folder.appendingPathComponent("missing/x.jpeg"))) { error in
            XCTAssertTrue("\(error)".contains("missing/x.jpeg"))
        }
    }
}
