import Foundation
import TensorCore
import TestSupport
import XCTest

/// Replicas of one process, each on its own thread, that sum through a shared rendezvous: the
/// collectives of `ReplicaGroup` without MPI (summation order follows arrival, so results agree
/// with one process up to float rounding).
final class ThreadReplicaHub: @unchecked Sendable {
    let count: Int
    private let condition = NSCondition()
    private var arrived = 0
    private var generation = 0
    private var accumulator: [Double] = []
    private var result: [Double] = []
    private var staged: [UInt8] = []
    private var shared: [UInt8] = []

    init(count: Int) { self.count = count }

    func replicas() -> [ThreadReplica] { (0..<count).map { ThreadReplica(hub: self, index: $0) } }

    /// Waits for every replica; `contribute` runs under the lock as each arrives (the last one
    /// also runs `complete`); returns what `read` reads once all have arrived.
    fileprivate func rendezvous<R>(_ contribute: (_ first: Bool) -> Void, complete: () -> Void, read: () -> R) -> R {
        condition.lock()
        defer { condition.unlock() }
        let mine = generation
        contribute(arrived == 0)
        arrived += 1
        if arrived == count {
            complete()
            arrived = 0
            generation += 1
            condition.broadcast()
        } else {
            while generation == mine { condition.wait() }
        }
        return read()
    }

    fileprivate func sum(_ values: [Double]) -> [Double] {
        rendezvous({ first in
            if first { accumulator = values } else { for i in values.indices { accumulator[i] += values[i] } }
        }, complete: { result = accumulator }, read: { result })
    }

    fileprivate func broadcast(_ bytes: [UInt8]?) -> [UInt8] {
        // Staged, then published when the last replica arrives: a fast replica 0 may already stage
        // the next broadcast while slow ones still read this one.
        rendezvous({ _ in if let bytes { staged = bytes } }, complete: { shared = staged }, read: { shared })
    }
}

final class ThreadReplica: ReplicaGroup, @unchecked Sendable {
    let hub: ThreadReplicaHub
    let index: Int
    init(hub: ThreadReplicaHub, index: Int) { self.hub = hub; self.index = index }
    var count: Int { hub.count }
    func sum(_ values: UnsafeMutableBufferPointer<Double>) {
        let total = hub.sum(Array(values))
        for i in values.indices { values[i] = total[i] }
    }
    func sum(_ values: UnsafeMutableBufferPointer<Float>) {
        let total = hub.sum(values.map { Double($0) })
        for i in values.indices { values[i] = Float(total[i]) }
    }
    func broadcastFromFirst(_ bytes: UnsafeMutableRawBufferPointer) {
        let first = hub.broadcast(index == 0 ? Array(bytes) : nil)
        for i in 0..<bytes.count { bytes[i] = first[i] }
    }
}

/// Results handed back from replica threads.
private final class ReplicaResults: @unchecked Sendable {
    let lock = NSLock()
    var values: [Int: Any] = [:]
}

/// Runs `body(replica)` for every replica on its own thread and returns the results in order.
func runReplicas<R>(_ replicas: [ThreadReplica], _ body: @escaping @Sendable (ThreadReplica) -> R) -> [R] {
    let results = ReplicaResults()
    let group = DispatchGroup()
    for replica in replicas {
        group.enter()
        let thread = Thread {
            let value = body(replica)
            results.lock.lock()
            results.values[replica.index] = value
            results.lock.unlock()
            group.leave()
        }
        thread.stackSize = 16 << 20
        thread.start()
    }
    group.wait()
    return replicas.map { results.values[$0.index] as! R }
}

/// Synchronised batch norm: replicas that each hold a share of the batch compute what one
/// BatchNorm2d computes over the whole batch (outputs, input gradients, summed parameter
/// gradients, running statistics); without the group they clearly do not.
final class SyncBatchNormTests: XCTestCase {
    struct Result: @unchecked Sendable {
        var output: [Float]
        var gradInput: [Float]
        var gradWeight: [Float]
        var gradBias: [Float]
        var runningMean: [Float]
        var runningVariance: [Float]
    }

    /// One training-mode BatchNorm2d forward and backward of Σ y ⊙ g.
    static func run(_ x: Tensor, _ g: Tensor, replicas: (any ReplicaGroup)?) -> Result {
        let bn = BatchNorm2d(3)
        bn.weight.value = Tensor(shape: [3], scalars: [1.5, 0.5, -0.75])
        bn.bias.value = Tensor(shape: [3], scalars: [0.1, -0.2, 0.3])
        bn.replicas = replicas
        let tape = Tape()
        tape.watch(bn.parameters())
        let input = tape.watch(x)
        let y = bn(input)
        let grads = tape.backward((y * g).sum())
        return Result(output: y.scalars(), gradInput: grads[input]!.scalars(), gradWeight: bn.weight.grad!.scalars(),
                      gradBias: bn.bias.grad!.scalars(), runningMean: bn.runningMean.value.scalars(),
                      runningVariance: bn.runningVariance.value.scalars())
    }

    func testReplicasComputeTheWholeBatch() {
        var rng = RandomGenerator(seed: 41)
        let x = Tensor.normal([4, 3, 5, 7], mean: 0.3, standardDeviation: 2, generator: &rng)
        let g = Tensor.normal([4, 3, 5, 7], generator: &rng)
        let whole = Self.run(x, g, replicas: nil)

        for synchronised in [true, false] {
            let hub = ThreadReplicaHub(count: 2)
            let shares = runReplicas(hub.replicas()) { replica in
                Self.run(x.narrowed(0, start: 2 * replica.index, length: 2).contiguous(),
                         g.narrowed(0, start: 2 * replica.index, length: 2).contiguous(),
                         replicas: synchronised ? replica : nil)
            }
            let output = shares.flatMap(\.output), gradInput = shares.flatMap(\.gradInput)
            let gradWeight = zip(shares[0].gradWeight, shares[1].gradWeight).map { $0 + $1 }
            let gradBias = zip(shares[0].gradBias, shares[1].gradBias).map { $0 + $1 }
            let errors = [("output", compare(output, whole.output)), ("grad input", compare(gradInput, whole.gradInput)),
                          ("grad weight", compare(gradWeight, whole.gradWeight)), ("grad bias", compare(gradBias, whole.gradBias)),
                          ("running mean", compare(shares[0].runningMean, whole.runningMean)),
                          ("running var", compare(shares[1].runningVariance, whole.runningVariance))]
            if synchronised {
                for (label, c) in errors { XCTAssertLessThanOrEqual(c.relativeToMax, 1e-5, "\(label): \(c)") }
                XCTAssertEqual(shares[0].runningMean, shares[1].runningMean, "every replica has the same running statistics")
            } else {
                // Per-replica statistics: the normalised outputs and gradients differ clearly.
                XCTAssertGreaterThan(errors[0].1.relativeToMax, 1e-2, "unsynchronised output \(errors[0].1)")
                XCTAssertGreaterThan(errors[1].1.relativeToMax, 1e-2, "unsynchronised grad input \(errors[1].1)")
            }
        }
    }

    /// A group of one (what a single process with the flag on has) gives exactly the local bits.
    func testGroupOfOneIsBitwiseLocal() {
        var rng = RandomGenerator(seed: 42)
        let x = Tensor.normal([2, 3, 4, 9], generator: &rng), g = Tensor.normal([2, 3, 4, 9], generator: &rng)
        let local = Self.run(x, g, replicas: nil)
        let single = runReplicas(ThreadReplicaHub(count: 1).replicas()) { Self.run(x, g, replicas: $0) }[0]
        XCTAssertEqual(single.output, local.output)
        XCTAssertEqual(single.gradInput, local.gradInput)
        XCTAssertEqual(single.runningVariance, local.runningVariance)
    }

    /// Parameter broadcast and gradient sums through the backend.
    func testBackendCollectives() {
        let hub = ThreadReplicaHub(count: 3)
        let results = runReplicas(hub.replicas()) { replica -> ([Float], [Int64], [Float]) in
            let weights = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4].map { Float($0 + 10 * replica.index) })
            let counter = Tensor(shape: [], int64s: [Int64(7 + replica.index)])
            let gradient = Tensor(shape: [3], scalars: [1, 0.5, -2].map { $0 * Float(replica.index + 1) })
            CPUBackend.shared.broadcastFromFirstReplica([weights, counter], replicas: replica)
            CPUBackend.shared.sumAcrossReplicas([gradient.narrowed(0, start: 1, length: 2)], replicas: replica)
            return (weights.scalars(), counter.int64s(), gradient.scalars())
        }
        for (index, (weights, counter, gradient)) in results.enumerated() {
            XCTAssertEqual(weights, [1, 2, 3, 4], "replica \(index)")
            XCTAssertEqual(counter, [7], "replica \(index)")
            XCTAssertEqual(gradient, [Float(index + 1), 3, -12], "replica \(index): only the view is summed")
        }
    }
}
