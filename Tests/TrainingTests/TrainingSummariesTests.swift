import Foundation
import ImageIO
import KITTIData
import TensorBoard
import TensorCore
import XCTest
@testable import Training

/// The original's `log()` through our events files: tags in the original's order, scalar values,
/// and images (slices of the batch tensors), read back with a minimal protobuf decoder.
final class TrainingSummariesTests: XCTestCase {
    private func ramp(_ shape: [Int], _ offset: Float) -> Tensor {
        let n = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<n).map { Float($0 % 97) / 96 * 0.5 + offset })
    }

    func testTagsValuesAndImagesFollowTheOriginal() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let config = StepConfiguration(height: 4, width: 8, batchSize: 5, scales: [0, 1], frameOffsets: [0, -1, 1], useStereo: true)
        let b = 5
        var color: [FrameID: [Tensor]] = [:]
        for (index, frame) in config.frames.enumerated() {
            color[frame] = [ramp([b, 3, 4, 8], Float(index) * 0.1), ramp([b, 3, 2, 4], 0.3)]
        }
        let batch = Batch(color: color, K: [Tensor.zeros([b, 4, 4])], invK: [Tensor.zeros([b, 4, 4])])
        var outputs = StepOutputs()
        outputs.disparities = [0: ramp([b, 1, 4, 8], 0.2), 1: ramp([b, 1, 2, 4], 0.1)]
        for frame in config.sourceFrames { outputs.warped[frame] = ramp([b, 3, 4, 8], 0.25) }
        outputs.identitySelection = [0: ramp([b, 4, 8], 0), 1: ramp([b, 2, 4], 0)]
        let losses = StepLosses(total: 0.5, perScale: [0.25, 0.75], scales: [0, 1], identitySelectionMean: nil)

        let summaries = try TrainingSummaries(logPath: root, hostname: "h", wallClock: { 1_000 })
        try summaries.log(.val, batch: batch, result: StepResult(losses: losses, outputs: outputs),
                          metrics: [("de/abs_rel", 0.125), ("da/a1", 0.875)], configuration: config, step: 250)
        summaries.close()
        XCTAssertEqual(summaries.url(.train)?.path, root.path + "/train/events.out.tfevents.0000001000.h")

        let events = try readEvents(summaries.url(.val)!)
        XCTAssertEqual(events.first?.tag, nil)  // file_version
        let logged = events.dropFirst()
        XCTAssertTrue(logged.allSatisfy { $0.step == 250 })
        let scalars = logged.compactMap { e in e.scalar.map { (e.tag!, $0) } }
        XCTAssertEqual(scalars.map(\.0), ["loss/0", "loss/1", "loss", "de/abs_rel", "da/a1"])
        XCTAssertEqual(scalars.map(\.1), [0.25, 0.75, 0.5, 0.125, 0.875])

        var expected: [String] = []
        for j in 0..<4 {
            for s in [0, 1] {
                for f in ["0", "-1", "1", "s"] {
                    expected.append("color_\(f)_\(s)/\(j)")
                    if s == 0 && f != "0" { expected.append("color_pred_\(f)_0/\(j)") }
                }
                expected += ["disp_\(s)/\(j)", "automask_\(s)/\(j)"]
            }
        }
        let images = logged.filter { $0.png != nil }
        XCTAssertEqual(images.map(\.tag!), expected)

        // disp_1/3: item 3 of the scale-1 disparity, min-max normalised, grey repeated into RGB.
        let disparity = outputs.disparities[1]!.scalars()
        let item = Array(disparity[3 * 8..<4 * 8])
        let want = try SummaryImage.pixels(chw: SummaryImage.minMaxNormalized(item), channels: 1, height: 2, width: 4)
        let logged13 = try XCTUnwrap(images.first { $0.tag == "disp_1/3" }?.png)
        guard case .eightBit(let got) = try PNG.decode(logged13) else { return XCTFail("not 8-bit") }
        XCTAssertEqual(got, want)
        XCTAssertEqual(got.pixels.first, 0)
        XCTAssertEqual(got.pixels.max(), 255)
    }

    /// tag, step, simple_value and PNG of each event (nil where absent).
    private struct LoggedEvent { var tag: String?; var step: Int64; var scalar: Float?; var png: [UInt8]? }

    private func readEvents(_ url: URL) throws -> [LoggedEvent] {
        let bytes = [UInt8](try Data(contentsOf: url))
        var events: [LoggedEvent] = []
        var offset = 0
        while offset + 12 <= bytes.count {
            let length = (0..<8).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
            let data = Array(bytes[offset + 12..<offset + 12 + length])
            offset += 16 + length
            var event = LoggedEvent(tag: nil, step: 0, scalar: nil, png: nil)
            for (field, value) in fields(data) {
                if field == 2, case .varint(let step) = value { event.step = Int64(bitPattern: step) }
                guard field == 5, case .bytes(let summary) = value else { continue }
                for (_, entry) in fields(summary) {
                    guard case .bytes(let valueBytes) = entry else { continue }
                    for (f, v) in fields(valueBytes) {
                        switch (f, v) {
                        case (1, .bytes(let tag)): event.tag = String(decoding: tag, as: UTF8.self)
                        case (2, .fixed32(let bits)): event.scalar = Float(bitPattern: bits)
                        case (4, .bytes(let image)):
                            for case (4, .bytes(let png)) in fields(image) { event.png = png }
                        default: break
                        }
                    }
                }
            }
            events.append(event)
        }
        return events
    }

    private enum Field { case varint(UInt64), fixed64(UInt64), fixed32(UInt32), bytes([UInt8]) }

    private func fields(_ bytes: [UInt8]) -> [(Int, Field)] {
        var out: [(Int, Field)] = []
        var i = 0
        func varint() -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while true {
                let byte = bytes[i]; i += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }
        func little(_ n: Int) -> UInt64 {
            defer { i += n }
            return (0..<n).reduce(0) { $0 | UInt64(bytes[i + $1]) << (8 * UInt64($1)) }
        }
        while i < bytes.count {
            let key = varint()
            let field = Int(key >> 3)
            switch key & 7 {
            case 0: out.append((field, .varint(varint())))
            case 1: out.append((field, .fixed64(little(8))))
            case 5: out.append((field, .fixed32(UInt32(little(4)))))
            case 2:
                let n = Int(varint())
                out.append((field, .bytes(Array(bytes[i..<i + n]))))
                i += n
            default: return out
            }
        }
        return out
    }
}
