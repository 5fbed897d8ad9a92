import XCTest
import Synchronization
@testable import Kernels

final class ParallelTests: XCTestCase {
    /// Every index runs exactly once, for counts around the thread count and large ones.
    func testEveryIndexExactlyOnce() {
        for count in [1, 2, 3, 7, 64, 1000] {
            let hits = UnsafeMutablePointer<Int>.allocate(capacity: count)
            hits.initialize(repeating: 0, count: count)
            defer { hits.deallocate() }
            let p = SendablePointer(hits)
            Parallel.forEach(count) { i in p.pointer[i] += 1 }
            XCTAssertEqual((0..<count).filter { hits[$0] != 1 }, [], "count \(count)")
        }
    }

    /// A call from inside a body runs inline and still covers its whole range exactly once.
    func testNestedCallsCoverEveryPair() {
        let outer = 5, inner = 37
        let hits = UnsafeMutablePointer<Int>.allocate(capacity: outer * inner)
        hits.initialize(repeating: 0, count: outer * inner)
        defer { hits.deallocate() }
        let p = SendablePointer(hits)
        Parallel.forEach(outer) { i in
            Parallel.forEach(inner) { j in p.pointer[i * inner + j] += 1 }
        }
        XCTAssertEqual((0..<(outer * inner)).filter { hits[$0] != 1 }, [])
    }

    /// Many back-to-back jobs (workers spinning, parking and waking) lose no index.
    func testManyJobsInARow() {
        let total = Atomic<Int>(0)
        for round in 0..<2000 {
            Parallel.forEach(2 + round % 3) { _ in total.wrappingAdd(1, ordering: .relaxed) }
            if round % 500 == 0 { usleep(1000) }  // let workers park now and then
        }
        var expected = 0
        for round in 0..<2000 { expected += 2 + round % 3 }
        XCTAssertEqual(total.load(ordering: .relaxed), expected)
    }

    /// Concurrent callers from different threads (one runs inline) both finish correctly.
    func testConcurrentCallers() {
        let total = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<200 {
                Parallel.forEach(8) { _ in total.wrappingAdd(1, ordering: .relaxed) }
            }
        }
        XCTAssertEqual(total.load(ordering: .relaxed), 4 * 200 * 8)
    }

    func testThreadCountOverride() {
        let saved = Parallel.threadCount
        defer { Parallel.setThreadCount(saved) }
        Parallel.setThreadCount(1)
        XCTAssertEqual(Parallel.threadCount, 1)
        let total = Atomic<Int>(0)
        Parallel.forEach(10) { _ in total.wrappingAdd(1, ordering: .relaxed) }
        XCTAssertEqual(total.load(ordering: .relaxed), 10)
        Parallel.setThreadCount(1000)
        XCTAssertEqual(Parallel.threadCount, Parallel.maximumThreadCount)
    }
}
