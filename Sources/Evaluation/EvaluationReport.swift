/// The lines evaluate_depth.py prints, character for character.
public enum EvaluationReport {
    /// ` Scaling ratios | med: {:0.3f} | std: {:0.3f}` (printed when median scaling).
    public static func ratioLine(median: Double, standardDeviation: Double) -> String {
        " Scaling ratios | med: \(PythonFormat.fixed(median, precision: 3)) | std: \(PythonFormat.fixed(standardDeviation, precision: 3))"
    }

    /// The closing table: an empty line, the header, the LaTeX row, an empty line, `-> Done!`
    /// (each line ends with a newline, as `print` writes them).
    public static func table(_ metrics: DepthMetrics) -> String {
        let header = "\n  " + DepthMetrics.names.map { PythonFormat.rightAligned($0, width: 8) + " | " }.joined()
        let row = metrics.values.map { "&" + PythonFormat.fixed($0, precision: 3, width: 8, spaceSign: true) + "  " }.joined() + "\\\\"
        return header + "\n" + row + "\n" + "\n-> Done!\n"
    }

    /// The `-> Evaluating` block up to the ratio line, for mono or stereo evaluation.
    public static func evaluatingLines(stereo: Bool) -> String {
        "-> Evaluating\n" + (stereo
            ? "   Stereo evaluation - disabling median scaling, scaling by \(DepthEvaluator.stereoScaleFactor)\n"
            : "   Mono evaluation - using median scaling\n")
    }
}
