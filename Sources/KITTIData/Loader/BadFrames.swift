import Foundation

/// Images that cannot be decoded while a loader builds batches. A bad item is replaced by the next
/// item of the dataset (index + 1, + 2, … wrapping) that loads, with that item's own random choices:
/// the replacement depends only on the item and the files, never on which thread met it first, so
/// a run stays reproducible for a given seed and worker count. Each bad file is reported once
/// (`report`, with its split line) and counted; more distinct bad files than `limit` stop the
/// epoch with `.tooManyBadImages` naming them. Shared by a loader's worker threads (one lock).
public final class BadFrames: @unchecked Sendable {
    /// The most distinct bad files tolerated.
    public let limit: Int
    private let report: @Sendable (String) -> Void
    private let lock = NSLock()
    private var files: [String] = []
    private var skipped = 0

    public init(limit: Int, report: @escaping @Sendable (String) -> Void) {
        self.limit = limit
        self.report = report
    }

    /// 0.1% of a split of `count` items, at least 1: `--max_bad_frames`'s default.
    public static func defaultLimit(items count: Int) -> Int { max(1, count / 1000) }

    /// Records a bad item (`skipping`: an item was replaced; false for the up-front check); throws
    /// when the distinct bad files exceed the limit.
    func record(_ error: KITTIDataError, skipping: Bool = true) throws(KITTIDataError) {
        guard case let .unreadableImage(path, splitFile, line, problem) = error else { throw error }
        lock.lock()
        if skipping { skipped += 1 }
        let isNew = !files.contains(path)
        if isNew { files.append(path) }
        let found = files
        lock.unlock()
        if isNew {
            report("warning: \(path) (\(splitFile):\(line)): cannot decode image (\(problem)); "
                + "\(skipping ? "its item is replaced by the next one" : "items using it will be replaced by the next one")")
        }
        if found.count > limit { throw .tooManyBadImages(limit: limit, paths: found) }
    }

    /// Items replaced so far (every time a bad item came up).
    public var skippedItems: Int {
        lock.lock()
        defer { lock.unlock() }
        return skipped
    }

    /// The distinct bad files found so far, in the order met.
    public var badFiles: [String] {
        lock.lock()
        defer { lock.unlock() }
        return files
    }
}
