import Foundation
import TensorCore

/// Sums the gradients over the replicas while the backward pass is still running: each parameter
/// whose gradient is complete (`Tape.backward`'s `parameterGradientReady`) joins the current
/// bucket; a full bucket (about `bucketFloats` values) goes to a thread of its own, which sums it on
/// a communicator of its own (`Communicator.duplicate()`), so its collectives never interleave with
/// the main thread's (SyncBN's). `finish()` sends the last bucket and waits for all of them. The
/// buckets are the same on every rank: the completion order is a function of the graph.
///
/// Each parameter's gradient is summed in place, so no two parameters may share gradient memory
/// (true of every layer that holds parameters here: convolution, BatchNorm and linear layers
/// return fresh gradient tensors).
public final class GradientBuckets: @unchecked Sendable {
    public let bucketFloats: Int
    private let worker: Worker
    private var current: [Tensor] = []
    private var currentFloats = 0

    /// - Parameter replicas: the group the bucket thread sums over (a duplicate of the step's).
    public init(replicas: any ReplicaGroup, bucketFloats: Int = 4 << 20) {
        self.bucketFloats = bucketFloats
        worker = Worker(replicas: replicas)
        let worker = self.worker
        let thread = Thread { worker.run() }
        thread.name = "md2-gradients"
        thread.stackSize = 4 << 20
        thread.start()
    }

    deinit { worker.stop() }

    /// Ends the bucket thread once the buckets it holds are summed.
    public func stop() { worker.stop() }

    /// A parameter's gradient is complete (nil: the loss does not reach it; nothing to sum).
    public func ready(_ parameter: Parameter) {
        guard let gradient = parameter.grad else { return }
        current.append(gradient)
        currentFloats += gradient.count
        if currentFloats >= bucketFloats { send() }
    }

    /// Sends the last bucket and returns once every bucket of this step is summed.
    public func finish() {
        if !current.isEmpty { send() }
        worker.waitUntilDone()
    }

    private func send() {
        worker.enqueue(current)
        current = []
        currentFloats = 0
    }

    /// The bucket thread's queue (the thread holds it, not the `GradientBuckets`).
    private final class Worker: @unchecked Sendable {
        let replicas: any ReplicaGroup
        private let condition = NSCondition()
        private var queue: [[Tensor]] = []
        private var pending = 0
        private var stopped = false

        init(replicas: any ReplicaGroup) { self.replicas = replicas }

        func enqueue(_ bucket: [Tensor]) {
            condition.lock()
            queue.append(bucket)
            pending += 1
            condition.broadcast()
            condition.unlock()
        }

        func waitUntilDone() {
            condition.lock()
            while pending > 0 { condition.wait() }
            condition.unlock()
        }

        func stop() {
            condition.lock()
            stopped = true
            condition.broadcast()
            condition.unlock()
        }

        func run() {
            while true {
                condition.lock()
                while queue.isEmpty && !stopped { condition.wait() }
                guard !queue.isEmpty else {
                    condition.unlock()
                    return
                }
                let bucket = queue.removeFirst()
                condition.unlock()
                if let first = bucket.first { first.backend.sumAcrossReplicas(bucket, replicas: replicas) }
                condition.lock()
                pending -= 1
                condition.broadcast()
                condition.unlock()
            }
        }
    }
}
