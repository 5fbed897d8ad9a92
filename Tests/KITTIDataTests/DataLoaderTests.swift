import Foundation
import Options
import TensorCore
import TestSupport
import XCTest
@testable import KITTIData

/// The loader: seeded shuffles, drop_last, collation, and bit-identical batches whatever the
/// number of worker threads.
final class DataLoaderTests: XCTestCase {
    static let drive = "2011_09_26/2011_09_26_drive_0001_sync"

    /// Seven items of the fixture drive (frame ids 0 and s), 96x32.
    static func dataset(isTrain: Bool = true) throws -> KITTIDataset {
        let lines = ["1 l", "1 r", "0 l", "2 r", "2 l", "0 r", "1 l"].enumerated().map { ($0.offset + 1, "\(drive) \($0.element)") }
        return try KITTIDataset(KITTIDatasetConfig(dataPath: KITTIFixture.raw(), splitFile: "tiny.txt", lines: lines,
                                                   height: 32, width: 96, frameIDs: [.offset(0), .stereo], isTrain: isTrain))
    }

    /// Every value of every batch of `epochs`, in order.
    static func run(_ loader: DataLoader, epochs: Range<Int>) throws -> [[Float]] {
        var out: [[Float]] = []
        for epoch in epochs {
            let iterator = loader.epoch(epoch)
            while let batch = try iterator.next() {
                var values: [Float] = batch.indices.map(Float.init)
                for frame in batch.frameIDs {
                    for scale in 0..<batch.numScales {
                        values += batch.color(frame, scale: scale).scalars() + batch.colorAug(frame, scale: scale).scalars()
                    }
                }
                for scale in 0..<batch.numScales { values += batch.K[scale].scalars() + batch.invK[scale].scalars() }
                values += (batch.stereoT?.scalars() ?? []) + (batch.depthGT?.scalars() ?? [])
                out.append(values)
            }
        }
        return out
    }

    func testSameSeedGivesBitIdenticalBatchesWithOneAndFourWorkers() throws {
        let dataset = try Self.dataset()
        func loader(_ workers: Int, seed: UInt64 = 7) -> DataLoader {
            DataLoader(dataset: dataset, batchSize: 2, shuffle: true, dropLast: true, numWorkers: workers, seed: seed)
        }
        let one = try Self.run(loader(1), epochs: 0..<2)
        let four = try Self.run(loader(4), epochs: 0..<2)
        let inline = try Self.run(loader(0), epochs: 0..<2)
        XCTAssertEqual(one.count, 6)  // 7 items, batch 2, drop_last: 3 batches per epoch
        XCTAssertTrue(one == four, "1 and 4 workers differ")
        XCTAssertTrue(one == inline, "1 worker and the calling thread differ")
        // The seed matters, and the two epochs are shuffled differently.
        XCTAssertFalse(one == (try Self.run(loader(4, seed: 8), epochs: 0..<2)))
        XCTAssertNotEqual(loader(1).order(epoch: 0), loader(1).order(epoch: 1))
        XCTAssertEqual(loader(1).order(epoch: 1), loader(3).order(epoch: 1))
    }

    /// Data parallelism: the shards of every batch are its consecutive parts, and a shard's items
    /// (with their flips and jitters) are bit for bit the same items of the whole batch.
    func testShardsSplitEveryBatchIntoTheWholeBatchsItems() throws {
        let dataset = try Self.dataset()
        func loader(_ shard: BatchShard) -> DataLoader {
            DataLoader(dataset: dataset, batchSize: 4, shuffle: true, dropLast: true, numWorkers: 1, seed: 11, shard: shard)
        }
        let whole = loader(.whole), first = loader(BatchShard(index: 0, count: 2)), second = loader(BatchShard(index: 1, count: 2))
        for epoch in 0..<3 {
            XCTAssertEqual(zip(first.plan(epoch: epoch), second.plan(epoch: epoch)).map { $0 + $1 }, whole.plan(epoch: epoch))
        }
        XCTAssertEqual(first.plan(epoch: 0).map(\.count), [2])
        XCTAssertEqual(BatchShard(index: 2, count: 3).range(of: 12), 8..<12)
        // The items' pixels (augmentation included): rank 1's batch is the whole batch's items 2 and 3.
        let wholeBatch = try XCTUnwrap(try whole.epoch(1).next()), part = try XCTUnwrap(try second.epoch(1).next())
        XCTAssertEqual(part.indices, Array(wholeBatch.indices[2...]))
        let planeCount = part.colorAug(.offset(0), scale: 0).count
        XCTAssertEqual(part.colorAug(.offset(0), scale: 0).scalars(),
                       Array(wholeBatch.colorAug(.offset(0), scale: 0).scalars().suffix(planeCount)))
    }

    func testAugmentationIsOnAboutHalfTheTimeAndOffForValidation() throws {
        var flips = 0, jitters = 0
        for index in 0..<1000 {
            let augmentation = SampleAugmentation.random(seed: 1, epoch: 3, index: index)
            flips += augmentation.flip ? 1 : 0
            if let jitter = augmentation.jitter {
                jitters += 1
                XCTAssertEqual(jitter.adjustments.count, 4)
                for adjustment in jitter.adjustments {
                    switch adjustment {
                    case .brightness(let f), .contrast(let f), .saturation(let f): XCTAssertTrue((0.8...1.2).contains(f))
                    case .hue(let f): XCTAssertTrue((-0.1...0.1).contains(f))
                    }
                }
            }
        }
        XCTAssertTrue((430...570).contains(flips), "\(flips)")
        XCTAssertTrue((430...570).contains(jitters), "\(jitters)")
        XCTAssertEqual(SampleAugmentation.random(seed: 1, epoch: 3, index: 5), SampleAugmentation.random(seed: 1, epoch: 3, index: 5))
        let validation = try Self.dataset(isTrain: false)
        XCTAssertEqual(validation.augmentation(index: 0, seed: 1, epoch: 0), .none)
    }

    func testCollationShapesAndDropLast() throws {
        let dataset = try Self.dataset()
        let keep = DataLoader(dataset: dataset, batchSize: 3, shuffle: false, dropLast: false, numWorkers: 2, seed: 0)
        XCTAssertEqual(keep.plan(epoch: 0), [[0, 1, 2], [3, 4, 5], [6]])
        let drop = DataLoader(dataset: dataset, batchSize: 3, shuffle: false, dropLast: true, numWorkers: 2, seed: 0)
        XCTAssertEqual(drop.batchesPerEpoch, 2)
        let iterator = drop.epoch(0)
        let batch = try XCTUnwrap(try iterator.next())
        XCTAssertEqual(batch.color(.stereo, scale: 0).shape, [3, 3, 32, 96])
        XCTAssertEqual(batch.colorAug(.offset(0), scale: 3).shape, [3, 3, 4, 12])
        XCTAssertEqual(batch.K[2].shape, [3, 4, 4])
        XCTAssertEqual(batch.stereoT?.shape, [3, 4, 4])
        XCTAssertEqual(batch.depthGT?.shape, [3, 1, 375, 1242])
        XCTAssertNotNil(try iterator.next())
        XCTAssertNil(try iterator.next())
    }

    func testValidationIteratorRestartsWhenExhausted() throws {
        let loader = DataLoader(dataset: try Self.dataset(isTrain: false), batchSize: 3, shuffle: true, dropLast: true,
                                numWorkers: 1, seed: 5)
        let validation = ValidationIterator(loader: loader)
        var seen: [[Int]] = []
        for _ in 0..<5 { seen.append(try validation.next().indices) }
        XCTAssertEqual(validation.passes, 3)
        XCTAssertEqual(Array(seen[0..<2]), loader.plan(epoch: 0))
        XCTAssertEqual(Array(seen[2..<4]), loader.plan(epoch: 1))
        XCTAssertEqual(seen[4], loader.plan(epoch: 2)[0])
    }
}
