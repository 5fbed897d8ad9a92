#if canImport(Glibc)
import Glibc
#endif

/// The C allocator's settings for our executables.
///
/// glibc serves blocks above a dynamic threshold (from 128 KB) with `mmap` and gives the free top of
/// a heap back to the system after large frees, worker threads' arenas included. A data loader
/// decodes, resizes and jitters images of 0.1-1.4 MB on every item, so nearly every such block
/// came back as fresh pages: 510k page faults in a 20-batch `bench loader` run at 640x192, about a
/// fifth of its time. With blocks up to 32 MB taken from the heaps and up to
/// 1 GB of free heap kept, the same run takes 150-180k faults (most of them first touches) and is
/// ~20% faster; peak RSS stays about the same, since the loader reuses what it frees.
public enum ProcessMemory {
    /// Applies the settings; called by `runMain` (and `bench`) before the body runs. Returns false
    /// where there is no glibc `mallopt` or it refuses a setting.
    @discardableResult
    public static func keepFreedBlocks() -> Bool {
        #if canImport(Glibc)
        // <malloc.h> is not part of the Glibc module: mallopt is looked up, with its constants.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD
        let mmapTaken = mallopt(mmapThreshold, 32 << 20) == 1
        let trimTaken = mallopt(trimThreshold, 1 << 30) == 1
        return mmapTaken && trimTaken
        #else
        return false
        #endif
    }
}
