import ArrayIO
import Foundation
import ImageIO
import TestSupport
import XCTest
@testable import TensorBoard

/// Our events files against one written by PyTorch's SummaryWriter over TensorBoard's own
/// EventFileWriter (Tests/Fixtures/tensorboard/make_fixture.py; wall times and host pinned).
final class EventFileWriterTests: XCTestCase {
    private let fixtureName = "events.out.tfevents.1700000000.fixturehost"

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tb-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func bundled(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: Fixtures.bundled("tensorboard/" + name)))
    }

    /// Same records, same bytes: framing, both masked CRCs, Event/Summary/Value/Image encoding.
    func testSameBytesAsPyTorchSummaryWriter() throws {
        let directory = try temporaryDirectory()
        let writer = try EventFileWriter(directory: directory, hostname: "fixturehost", wallClock: { 1_700_000_000.25 },
                                         sourceWriter: "tensorboard.summary.writer.event_file_writer")
        XCTAssertEqual(writer.url.lastPathComponent, fixtureName)
        // torch.tensor(0.123456789, dtype=float32): the float32 value, widened.
        try writer.addScalar("loss", Double(Float(0.123456789)), step: 0, wallTime: 1_700_000_001.5)
        try writer.addScalar("loss/0", 1.5, step: 250, wallTime: 1_700_000_002.0)
        try writer.addScalar("de/abs_rel", 0, step: 2000, wallTime: 1_700_000_003.125)
        try writer.addScalar("da/a1", -3.25e-7, step: 5_000_000_000, wallTime: 1_700_000_004.0)
        // PIL's PNG bytes (our encoder compresses differently; its pixels are checked below).
        try writer.addImage("color_0_0/0", SummaryImage(height: 4, width: 5, colorspace: 3, encodedImage: try bundled("color.png")),
                            step: 250, wallTime: 1_700_000_005.0)
        try writer.addImage("disp_0/0", SummaryImage(height: 4, width: 5, colorspace: 3, encodedImage: try bundled("disp.png")),
                            step: 250, wallTime: 1_700_000_006.0)
        writer.close()
        let ours = [UInt8](try Data(contentsOf: writer.url))
        let theirs = try bundled(fixtureName)
        XCTAssertEqual(ours.count, theirs.count)
        if let first = zip(ours, theirs).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
            XCTFail("first difference at byte \(first.offset)")
        }
        XCTAssertEqual(try readRecords(ours).count, 7)
    }

    /// `add_image` of a CHW float tensor: our HWC pixels equal those PIL encoded (one channel
    /// repeated into RGB, ×255, clipped, truncated).
    func testImagePixelsMatchTensorBoard() throws {
        for (input, png) in [("color_chw.npy", "color.png"), ("disp_chw.npy", "disp.png")] {
            let array = try NPY.read(contentsOf: Fixtures.bundled("tensorboard/" + input))
            let channels = array.shape[0], height = array.shape[1], width = array.shape[2]
            let ours = try SummaryImage.pixels(chw: array.floatValues(), channels: channels, height: height, width: width)
            guard case .eightBit(let theirs) = try PNG.decode(try bundled(png)) else { return XCTFail("\(png) is not 8-bit") }
            XCTAssertEqual(ours, theirs, input)
            let image = try SummaryImage(chw: array.floatValues(), channels: channels, height: height, width: width)
            XCTAssertEqual([image.height, image.width, image.colorspace], [height, width, 3])
            guard case .eightBit(let decoded) = try PNG.decode(image.encodedImage) else { return XCTFail("not 8-bit") }
            XCTAssertEqual(decoded, theirs)
        }
    }

    func testQuantizationEdges() {
        XCTAssertEqual(SummaryImage.quantized(.nan), 0)
        XCTAssertEqual(SummaryImage.quantized(-.infinity), 0)
        XCTAssertEqual(SummaryImage.quantized(.infinity), 255)
        XCTAssertEqual(SummaryImage.quantized(1.5), 255)
        XCTAssertEqual(SummaryImage.quantized(0.0039), 0)  // 0.9945 truncates
        XCTAssertEqual(SummaryImage.quantized(0.5), 127)  // 127.5 truncates
    }

    func testMinMaxNormalized() {
        XCTAssertEqual(SummaryImage.minMaxNormalized([2, 4, 3]), [0, 1, 0.5])
        XCTAssertEqual(SummaryImage.minMaxNormalized([3, 3]), [0, 0])
        XCTAssertEqual(SummaryImage.minMaxNormalized([]), [])
    }

    func testBadImagesAreNamed() {
        XCTAssertThrowsError(try SummaryImage.pixels(chw: [0, 0], channels: 2, height: 1, width: 1))
        XCTAssertThrowsError(try SummaryImage.pixels(chw: [0, 0], channels: 1, height: 1, width: 1)) { error in
            XCTAssertEqual((error as? TensorBoardError)?.problem, "2 values for a 1x1x1 image")
        }
    }

    /// A second writer in the same second never appends to the first file.
    func testSameSecondGetsANewFile() throws {
        let directory = try temporaryDirectory()
        let first = try EventFileWriter(directory: directory, hostname: "h", wallClock: { 1_000 })
        let second = try EventFileWriter(directory: directory, hostname: "h", wallClock: { 1_000 })
        XCTAssertEqual(first.url.lastPathComponent, "events.out.tfevents.0000001000.h")
        XCTAssertEqual(second.url.lastPathComponent, "events.out.tfevents.0000001000.h.1")
        try first.addScalar("a", 1, step: 1)
        first.close()
        XCTAssertThrowsError(try first.addScalar("a", 1, step: 2))
        XCTAssertEqual(try readRecords([UInt8](Data(contentsOf: first.url))).count, 2)
    }

    func testUnwritableFolderIsNamed() {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tb-file-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: file.path, contents: Data())
        defer { try? FileManager.default.removeItem(at: file) }
        XCTAssertThrowsError(try EventFileWriter(directory: file.appendingPathComponent("train"))) { error in
            XCTAssertTrue((error as? TensorBoardError)?.file.hasPrefix(file.path) ?? false, "\(error)")
        }
    }

    /// Splits a TFRecord file, checking both masked CRCs of every record.
    private func readRecords(_ bytes: [UInt8]) throws -> [[UInt8]] {
        func uint32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * $1) } }
        var records: [[UInt8]] = []
        var offset = 0
        while offset < bytes.count {
            let lengthBytes = Array(bytes[offset..<offset + 8])
            let length = (0..<8).reduce(0) { $0 | Int(lengthBytes[$1]) << (8 * $1) }
            XCTAssertEqual(uint32(offset + 8), TFRecord.maskedCRC(lengthBytes))
            let data = Array(bytes[offset + 12..<offset + 12 + length])
            XCTAssertEqual(uint32(offset + 12 + length), TFRecord.maskedCRC(data))
            records.append(data)
            offset += 16 + length
        }
        return records
    }
}
