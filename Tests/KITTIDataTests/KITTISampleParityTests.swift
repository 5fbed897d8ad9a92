import ArrayIO
import Foundation
import ImageIO
import Options
import TensorCore
import TestSupport
import XCTest
@testable import KITTIData

/// Training samples against the ORIGINAL KITTIRAWDataset with the same flip and jitter forced
/// (Tests/Fixtures/kitti_samples/make_samples.py, on the fixture drive reference/kitti/raw):
/// every tensor must be bit-identical. Cases: flip on/off, jitter on/off, sides l and r, the
/// first frame of the drive, 96x32, 128x32 and 640x192.
final class KITTISampleParityTests: XCTestCase {
    static let cases = ["l1_plain", "r1_flip_jitter", "l0_start_flip", "r2_jitter", "l1_640x192_flip_jitter"]

    struct Meta: Decodable {
        var line: String
        var height: Int
        var width: Int
        var frame_ids: [String]
        var flip: Bool
        var jitter: [[String]]?
        var hashes: [String: String]
        var shapes: [String: [Int]]
        var bits: [String: [String]]
        var depth_gt_nonzero: Int
    }

    func testSamplesEqualTheOriginal() throws {
        for name in Self.cases {
            let folder = Fixtures.bundled("kitti_samples/\(name)")
            let meta = try JSONDecoder().decode(Meta.self, from: Data(contentsOf: folder.appendingPathComponent("meta.json")))
            let sample = try Self.sample(meta)
            var images: [UInt8]?
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("images.npy").path) {
                images = try NPY.read(contentsOf: folder.appendingPathComponent("images.npy")).values(as: UInt8.self)
            }
            var offset = 0
            for frameText in meta.frame_ids {
                let frame = try Self.frameID(frameText)
                for scale in 0..<4 {
                    for (kind, tensor) in [("color", sample.color(frame, scale: scale)), ("color_aug", sample.colorAug(frame, scale: scale))] {
                        let key = "\(kind)_\(frameText)_\(scale)"
                        let values = tensor.scalars()
                        XCTAssertEqual(Array(tensor.shape.dropFirst()), meta.shapes[key], "\(name) \(key)")
                        if Self.fnv1a64(values) != meta.hashes[key] {
                            var detail = ""
                            if let images {
                                let expected = images[offset..<(offset + values.count)]
                                let ours = values.map { UInt8(($0 * 255).rounded()) }
                                let differing = zip(ours, expected).filter { $0 != $1 }
                                detail = "\(differing.count) of \(values.count) bytes differ, max \(differing.map { abs(Int($0) - Int($1)) }.max() ?? 0)"
                            }
                            XCTFail("\(name) \(key): differs from the original. \(detail)")
                        }
                        offset += values.count
                    }
                }
            }
            for scale in 0..<4 {
                XCTAssertEqual(Self.bits(sample.K[scale]), meta.bits["K_\(scale)"], "\(name) K_\(scale)")
                // np.linalg.pinv's round-off replayed step by step (PseudoInverse): bit for bit, as NumPy
                // gives it on AVX2+FMA x86-64 (Sandybridge-class kernels would give other last bits).
                XCTAssertEqual(Self.bits(sample.invK[scale]), meta.bits["inv_K_\(scale)"], "\(name) inv_K_\(scale)")
            }
            XCTAssertEqual(Self.bits(try XCTUnwrap(sample.stereoT)), meta.bits["stereo_T"], "\(name) stereo_T")
            let depth = try XCTUnwrap(sample.depthGT, name)
            XCTAssertEqual(Array(depth.shape.dropFirst()), meta.shapes["depth_gt"], name)
            let depthValues = depth.scalars()
            XCTAssertEqual(depthValues.filter { $0 > 0 }.count, meta.depth_gt_nonzero, "\(name) depth_gt")
            XCTAssertEqual(Self.fnv1a64(depthValues), meta.hashes["depth_gt"], "\(name) depth_gt")
        }
    }

    /// The case's item with its forced flip and jitter.
    static func sample(_ meta: Meta) throws -> Batch {
        let frameIDs = try meta.frame_ids.map(frameID)
        let config = KITTIDatasetConfig(dataPath: try KITTIFixture.raw(), splitFile: "case.txt",
                                        lines: [(1, meta.line)], height: meta.height, width: meta.width,
                                        frameIDs: frameIDs, isTrain: true)
        let dataset = try KITTIDataset(config)
        return try dataset.batch([0], augmentations: [SampleAugmentation(flip: meta.flip, jitter: try jitter(meta.jitter))])
    }

    /// `0`, `-1`, `s` as the fixture names frames.
    static func frameID(_ text: String) throws -> FrameID {
        text == "s" ? .stereo : .offset(try XCTUnwrap(Int(text), text))
    }

    static func jitter(_ list: [[String]]?) throws -> ColorJitter? {
        guard let list else { return nil }
        return ColorJitter(try list.map { pair in
            let factor = try XCTUnwrap(Double(pair[1]))
            switch pair[0] {
            case "brightness": return .brightness(factor)
            case "contrast": return .contrast(factor)
            case "saturation": return .saturation(factor)
            default: return .hue(factor)
            }
        })
    }

    static func bits(_ tensor: Tensor) -> [String] {
        tensor.scalars().map { String(format: "%08x", $0.bitPattern) }
    }

    /// FNV-1a 64 of the little-endian float32 bytes (make_samples.py's `fnv1a64`).
    static func fnv1a64(_ values: [Float]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for value in values {
            var bits = value.bitPattern
            for _ in 0..<4 {
                hash = (hash ^ UInt64(bits & 0xFF)) &* 0x100_0000_01b3
                bits >>= 8
            }
        }
        return String(format: "%016lx", hash)
    }
}
