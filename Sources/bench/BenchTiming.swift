import Kernels
#if canImport(Glibc)
import Glibc
#endif

/// Timing protocol shared by all cases: one warm-up call, then `samples` samples, each repeating
/// the call until it lasts at least `minimumSampleSeconds`; times are per call.
struct BenchTimer {
    var samples = 7
    var minimumSampleSeconds = 0.05

    init(_ flags: inout BenchFlags) throws {
        samples = max(1, try flags.int("samples", default: 7))
        minimumSampleSeconds = try flags.double("min-sample-seconds", default: 0.05)
    }

    func measure(_ body: () -> Void) -> [Double] {
        body()  // warm-up (also faults in buffers)
        var repeats = 1
        while true {
            let start = now()
            for _ in 0..<repeats { body() }
            let elapsed = now() - start
            if elapsed >= minimumSampleSeconds { break }
            repeats = elapsed <= 0 ? repeats * 10 : max(repeats + 1, Int(Double(repeats) * minimumSampleSeconds * 1.2 / elapsed))
        }
        var perCall: [Double] = []
        for _ in 0..<samples {
            let start = now()
            for _ in 0..<repeats { body() }
            perCall.append((now() - start) / Double(repeats))
        }
        return perCall.sorted()
    }
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Applies `--threads N` (default: all cores) to the kernels' pool.
func applyThreads(_ flags: inout BenchFlags) throws -> Int {
    let threads = try flags.int("threads", default: Parallel.maximumThreadCount)
    Parallel.setThreadCount(threads)
    return Parallel.threadCount
}

/// Peak resident set size of this process in MB (ru_maxrss is in KiB on Linux).
func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// "model name" from /proc/cpuinfo plus family/model (the name alone is just "AMD EPYC" here).
func cpuDescription() -> String {
    guard let file = fopen("/proc/cpuinfo", "r") else { return "unknown" }
    defer { fclose(file) }
    var name = "unknown", family = "", model = ""
    var line: UnsafeMutablePointer<CChar>? = nil
    var capacity = 0
    while getline(&line, &capacity, file) > 0 {
        let text = String(cString: line!)
        let parts = text.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters() }
        guard parts.count == 2 else { if !family.isEmpty { break } else { continue } }
        switch parts[0] {
        case "model name": name = parts[1]
        case "cpu family": family = parts[1]
        case "model": model = parts[1]
        default: break
        }
    }
    free(line)
    return family.isEmpty ? name : "\(name) (family \(family) model \(model))"
}

extension Substring {
    func trimmingCharacters() -> String {
        var s = self
        while let first = s.first, first == " " || first == "\t" || first == "\n" { s.removeFirst() }
        while let last = s.last, last == " " || last == "\t" || last == "\n" { s.removeLast() }
        return String(s)
    }
}

/// Prints one JSON line: name, timing statistics, GFLOPS, peak RSS, then `extra` fields in order.
func report(name: String, times: [Double], flops: Double, extra: [(String, String)]) {
    let median = times[times.count / 2]
    var fields: [(String, String)] = [
        ("name", quoted(name)),
        ("median_s", format(median)), ("min_s", format(times.first!)), ("max_s", format(times.last!)),
        ("gflops", format(flops / median / 1e9, digits: 2)),
        ("peak_rss_mb", format(peakRSSMegabytes(), digits: 1)),
        ("samples", String(times.count)),
        ("cpu", quoted(cpuDescription())),
        ("kernels", quoted("gemm=\(KernelDispatch.gemm) directConv=\(KernelDispatch.directConv)")),
    ]
    fields += extra
    print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
}

func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        default: out.unicodeScalars.append(scalar.value < 0x20 ? " " : scalar)
        }
    }
    return out + "\""
}

func format(_ value: Double, digits: Int = 6) -> String {
    if value == 0 { return "0" }
    // Significant digits for small times, fixed decimals otherwise.
    var scale = 1.0
    var magnitude = 0
    while value * scale < 1 && magnitude < 12 { scale *= 10; magnitude += 1 }
    let decimals = digits + magnitude
    var factor = 1.0
    for _ in 0..<decimals { factor *= 10 }
    let rounded = (value * factor).rounded() / factor
    return String(rounded)
}
