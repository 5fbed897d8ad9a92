import Distributed
import Foundation
import Kernels
import KITTIData
import TensorCore

/// The processes of one training run: one (`.single`, the default) or the ranks a launcher
/// (`mpirun`, `srun`) started. Rank 0 leads: it alone prints, draws the progress bar and writes the
/// run folder; every rank computes its share of every batch.
public struct DataParallelRun: @unchecked Sendable {
    public let communicator: any Communicator
    /// Whether the gradients are summed in buckets during the backward pass, on a thread and a
    /// communicator of their own (`GradientBuckets`), rather than after it (`MD2_GRADIENT_OVERLAP=1`).
    /// Off by default: on a node whose cores all compute, the bucket thread takes a core from the
    /// step (measured on 2 cores: 12% slower over shared memory, no gain over TCP); it pays where a
    /// core or the network card is free while the backward pass runs.
    public var overlapsGradients: Bool

    public init(communicator: any Communicator, overlapsGradients: Bool = false) {
        self.communicator = communicator
        self.overlapsGradients = overlapsGradients
    }

    /// One process (no launcher): today's behaviour.
    public static var single: DataParallelRun { DataParallelRun(communicator: SingleProcessCommunicator()) }

    /// The run this process belongs to: the launcher's ranks over MPI (loaded at run time), or one
    /// process when nothing launched it. Under a launcher, each rank's kernels get the cores of its
    /// node divided by the ranks on it (unless `MD2_THREADS` says otherwise).
    public static func launched(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DataParallelRun {
        let run = DataParallelRun(communicator: try LaunchEnvironment.communicator(),
                                  overlapsGradients: environment["MD2_GRADIENT_OVERLAP"] == "1")
        if run.size > 1, environment["MD2_THREADS"] == nil {
            let local = ["OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS", "PMI_LOCAL_SIZE"].lazy
                .compactMap { environment[$0].flatMap(Int.init) }.first ?? 1
            Parallel.setThreadCount(max(1, Parallel.processorCount / max(1, local)))
        }
        return run
    }

    public var rank: Int { communicator.rank }
    public var size: Int { communicator.size }
    /// Rank 0: prints, logs and writes.
    public var isLeader: Bool { rank == 0 }

    /// The group the tensors are summed over; nil for one process.
    public var replicas: (any ReplicaGroup)? { size > 1 ? CommunicatorReplicaGroup(communicator) : nil }

    /// This rank's part of every batch.
    public var shard: BatchShard { BatchShard(index: rank, count: size) }
}
