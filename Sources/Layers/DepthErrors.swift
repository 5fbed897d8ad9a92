import Foundation

/// layers.py `compute_depth_errors(gt, pred)` on the pooled valid pixels: abs_rel, sq_rel, rmse,
/// rmse_log, a1, a2, a3 (float32 values as torch computes them per pixel; the sums in double).
public func depthErrors(groundTruth gt: [Float], prediction pred: [Float]) -> [Float] {
    precondition(gt.count == pred.count && !gt.isEmpty, "depthErrors: \(gt.count) ground-truth and \(pred.count) predicted values")
    var absRel = 0.0, sqRel = 0.0, squares = 0.0, logSquares = 0.0
    var a1 = 0, a2 = 0, a3 = 0
    for (g, p) in zip(gt, pred) {
        let ratio = max(g / p, p / g)
        if ratio < 1.25 { a1 += 1 }
        if ratio < 1.25 * 1.25 { a2 += 1 }
        if ratio < 1.25 * 1.25 * 1.25 { a3 += 1 }
        let difference = Double(g - p)
        squares += difference * difference
        let logDifference = Double(logf(g) - logf(p))
        logSquares += logDifference * logDifference
        absRel += Double(abs(g - p) / g)
        sqRel += Double((g - p) * (g - p) / g)
    }
    let n = Double(gt.count)
    return [absRel / n, sqRel / n, (squares / n).squareRoot(), (logSquares / n).squareRoot(),
            Double(a1) / n, Double(a2) / n, Double(a3) / n].map { Float($0) }
}
