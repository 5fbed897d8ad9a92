import Foundation

/// The original trainer's console line (`Trainer.log_time`, utils.`sec_to_hm_str`), character for
/// character, and its log cadence (trainer.py `log_time` and `run_epoch`):
///
///     epoch   0 | batch    250 | examples/s:  16.8 | loss: 0.14563 | time elapsed: 00h03m07s | time left: 13h47m53s
public enum TimeLine {
    /// `(batch_idx % log_frequency == 0 and step < 2000) or step % 2000 == 0`: whether the trainer
    /// prints the time line, logs to TensorBoard and runs one validation batch after this step.
    public static func shouldLog(batchIndex: Int, step: Int, logFrequency: Int) -> Bool {
        let early = logFrequency > 0 && batchIndex % logFrequency == 0 && step < 2000
        return early || step % 2000 == 0
    }

    /// The time line.
    /// - Parameters:
    ///   - epoch: 0-based epoch; `batchIndex`: batch within the epoch; `step`: global step (before
    ///     the increment that follows the log, as the original).
    ///   - batchDuration: seconds of this batch's forward, backward and Adam step.
    ///   - loss: the batch's total loss (float32, printed through a double as `Tensor.__format__` does).
    ///   - elapsed: seconds since training started.
    ///   - totalSteps: `len(train_files) // batch_size * num_epochs`.
    public static func line(epoch: Int, batchIndex: Int, batchSize: Int, batchDuration: Double, loss: Float,
                            elapsed: Double, step: Int, totalSteps: Int) -> String {
        let examplesPerSecond = Double(batchSize) / batchDuration
        return "epoch " + rightAligned(String(epoch), width: 3)
            + " | batch " + rightAligned(String(batchIndex), width: 6)
            + " | examples/s: " + fixed(examplesPerSecond, precision: 1, width: 5)
            + " | loss: " + fixed(Double(loss), precision: 5)
            + " | time elapsed: " + hoursMinutesSeconds(elapsed)
            + " | time left: " + hoursMinutesSeconds(timeLeft(elapsed: elapsed, step: step, totalSteps: totalSteps))
    }

    /// `(num_total_steps / step − 1) · elapsed`, 0 at step 0.
    public static func timeLeft(elapsed: Double, step: Int, totalSteps: Int) -> Double {
        step > 0 ? (Double(totalSteps) / Double(step) - 1) * elapsed : 0
    }

    /// `sec_to_hm_str`: `int(t)` seconds as `{:02d}h{:02d}m{:02d}s`, with Python's floor division
    /// and modulo (a negative time prints as Python does, e.g. `-1h59m48s`). Non-finite times,
    /// which Python cannot convert, print as zero.
    public static func hoursMinutesSeconds(_ seconds: Double) -> String {
        let t = seconds.isFinite && abs(seconds) < 9e18 ? Int(seconds) : 0  // int() truncates toward zero
        func floorDivMod(_ a: Int, _ b: Int) -> (Int, Int) {
            let r = a % b
            return r < 0 ? (a / b - 1, r + b) : (a / b, r)
        }
        let (minutesTotal, s) = floorDivMod(t, 60)
        let (h, m) = floorDivMod(minutesTotal, 60)
        return zeroPadded(h) + "h" + zeroPadded(m) + "m" + zeroPadded(s) + "s"
    }

    /// Python's `{:02d}` (the sign counts towards the width; zeros go after it).
    static func zeroPadded(_ value: Int) -> String {
        let digits = String(value.magnitude)
        let sign = value < 0 ? "-" : ""
        let padding = max(0, 2 - sign.count - digits.count)
        return sign + String(repeating: "0", count: padding) + digits
    }

    /// Python's `{:W.Pf}`: correctly rounded (glibc's printf rounds the exact binary value as
    /// Python does); `nan`/`inf`/`-inf` as Python spells them, right-aligned to `width`.
    static func fixed(_ value: Double, precision: Int, width: Int = 0) -> String {
        let body: String
        if value.isNaN {
            body = "nan"
        } else if value.isInfinite {
            body = value < 0 ? "-inf" : "inf"
        } else {
            body = String(format: "%.\(precision)f", value)
        }
        return rightAligned(body, width: width)
    }

    /// Python's `{:>W}`.
    static func rightAligned(_ text: String, width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
