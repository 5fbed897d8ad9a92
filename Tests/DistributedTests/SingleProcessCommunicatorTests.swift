import XCTest
@testable import Distributed

/// One process: rank 0 of 1, every collective leaves the data as it is, a started reduction is
/// already complete, a broadcast from any root but 0 is refused.
final class SingleProcessCommunicatorTests: XCTestCase {
    func testRankSizeAndNoOpCollectives() throws {
        let communicator = SingleProcessCommunicator()
        XCTAssertEqual(communicator.rank, 0)
        XCTAssertEqual(communicator.size, 1)
        XCTAssertFalse(communicator.processorName.isEmpty)

        var floats: [Float] = [1.5, -2, 3e-7, .greatestFiniteMagnitude]
        let before = floats
        try floats.withUnsafeMutableBufferPointer { try communicator.allreduceSum($0) }
        XCTAssertEqual(floats, before)
        var doubles: [Double] = [0.1, 0.2, -1e300]
        try doubles.withUnsafeMutableBufferPointer { try communicator.allreduceSum($0) }
        XCTAssertEqual(doubles, [0.1, 0.2, -1e300])
        var bytes: [UInt8] = [1, 2, 3]
        try bytes.withUnsafeMutableBytes { try communicator.broadcast($0, root: 0) }
        XCTAssertEqual(bytes, [1, 2, 3])
        try communicator.barrier()
        // Empty buffers are fine.
        try communicator.allreduceSum(UnsafeMutableBufferPointer<Float>(start: nil, count: 0))
    }

    func testStartedReductionIsAlreadyComplete() throws {
        let communicator = SingleProcessCommunicator()
        var values: [Float] = [4, 5]
        try values.withUnsafeMutableBufferPointer { buffer in
            let pending = try communicator.startAllreduceSum(buffer)
            XCTAssertTrue(pending.isComplete)
            XCTAssertTrue(try pending.test())
            try pending.wait()
            try pending.wait()
        }
        XCTAssertEqual(values, [4, 5])
    }

    func testBroadcastFromAnotherRootIsRefused() {
        let communicator = SingleProcessCommunicator()
        var bytes: [UInt8] = [9]
        XCTAssertThrowsError(try bytes.withUnsafeMutableBytes { try communicator.broadcast($0, root: 1) }) { error in
            XCTAssertEqual(error as? DistributedError,
                           .invalidArgument(call: "broadcast", reason: "root 1 is not a rank of this communicator (size 1)"))
        }
    }

    func testDuplicateAndFinalize() throws {
        let communicator = SingleProcessCommunicator()
        let second = try communicator.duplicate()
        XCTAssertTrue(second is SingleProcessCommunicator)
        XCTAssertFalse(second === communicator)
        XCTAssertEqual(second.rank, 0)
        XCTAssertEqual(second.size, 1)
        second.finalize()
        communicator.finalize()
        communicator.finalize()
        try communicator.barrier()
    }
}
