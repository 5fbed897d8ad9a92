import Kernels

/// `gemm --m M --n N --k K [--threads T] [--transpose-a] [--transpose-b]`: C = op(A)·op(B), beta 0.
func runGEMMBench(_ arguments: BenchFlags) throws {
    var flags = arguments
    let m = try flags.int("m"), n = try flags.int("n"), k = try flags.int("k")
    let transposeA = flags.flag("transpose-a"), transposeB = flags.flag("transpose-b")
    let threads = try applyThreads(&flags)
    let timer = try BenchTimer(&flags)
    try flags.checkAllUsed()
    guard m > 0, n > 0, k > 0 else { throw BenchFlags.Problem(description: "gemm: sizes must be positive") }

    let a = UnsafeMutablePointer<Float>.allocate(capacity: m * k)
    let b = UnsafeMutablePointer<Float>.allocate(capacity: k * n)
    let c = UnsafeMutablePointer<Float>.allocate(capacity: m * n)
    defer { a.deallocate(); b.deallocate(); c.deallocate() }
    for i in 0..<(m * k) { a[i] = Float(i % 13) * 0.01 - 0.06 }
    for i in 0..<(k * n) { b[i] = Float(i % 7) * 0.02 - 0.06 }
    c.initialize(repeating: 0, count: m * n)
    let lda = transposeA ? m : k, ldb = transposeB ? k : n

    let times = timer.measure {
        sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
              a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: c, ldc: n)
    }
    let shape = "\(m)x\(n)x\(k)" + (transposeA ? " TA" : "") + (transposeB ? " TB" : "")
    report(name: "gemm", times: times, flops: 2 * Double(m) * Double(n) * Double(k),
           extra: [("threads", String(threads)), ("shape", quoted(shape))])
}
