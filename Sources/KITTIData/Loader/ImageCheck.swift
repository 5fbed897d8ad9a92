import Foundation

/// `--check_images`: decodes every image of the given datasets once, before training, and records
/// each one that cannot be decoded in `badFrames` (reported once, with its first split line); more
/// than the limit stop here, naming them. Costs one decode per distinct image.
public enum ImageCheck {
    public static func run(_ datasets: [KITTIDataset], badFrames: BadFrames, report: @Sendable (String) -> Void) throws(KITTIDataError) {
        var seen = Set<String>()
        var images: [(path: String, splitFile: String, line: Int)] = []
        for dataset in datasets {
            for entry in dataset.entries {
                for path in entry.imagePaths where seen.insert(path).inserted {
                    images.append((path, dataset.config.splitFile, entry.line))
                }
            }
        }
        // Decoded in parallel; recorded in split order.
        let problems = Problems(count: images.count)
        let paths = images.map(\.path)
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            do { _ = try ImageTensor.readRGB(URL(fileURLWithPath: paths[index])) } catch {
                problems.set(index, "\(error)")
            }
        }
        for (index, image) in images.enumerated() {
            guard let problem = problems.get(index) else { continue }
            try badFrames.record(.unreadableImage(path: image.path, splitFile: image.splitFile, line: image.line, problem: problem),
                                 skipping: false)
        }
        let bad = badFrames.badFiles.count
        report("checked \(images.count) images: \(bad == 0 ? "all can be decoded" : "\(bad) cannot be decoded (skipped in training)")")
    }

    /// One slot per image, written by the decoding threads.
    private final class Problems: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [String?]
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: String) {
            lock.lock()
            values[index] = value
            lock.unlock()
        }
        func get(_ index: Int) -> String? {
            lock.lock()
            defer { lock.unlock() }
            return values[index]
        }
    }
}
