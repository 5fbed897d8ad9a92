// When to spread a kernel over the cores: only above ~0.5 ms of estimated work, because waking a
// worker thread costs ~40 µs on this machine (SWIFT-PERFORMANCE-NOTES.md §5).

/// Estimated work below which a kernel runs inline on the caller, in picoseconds (0.5 ms).
@usableFromInline let parallelThresholdPicoseconds = 500_000_000

/// Runs `body(i)` for i in 0..<count: through `Parallel.forEach` when the estimated total work
/// `picoseconds` is at least 0.5 ms, else inline. Chunks must write disjoint memory.
@inlinable @inline(__always)
func splitWork(_ count: Int, picoseconds: Int, _ body: (Int) -> Void) {
    if count <= 1 || picoseconds < parallelThresholdPicoseconds {
        for i in 0..<count { body(i) }
        return
    }
    Parallel.forEach(count, body)
}
