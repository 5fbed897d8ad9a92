import Foundation

/// Python's `format(x, spec)` for the fixed-point specs the original scripts print with.
enum PythonFormat {
    /// `"{:W.Pf}"` / `"{: W.Pf}"` (`spaceSign` = the ` ` flag): correctly rounded like Python
    /// (glibc printf rounds the exact binary value too); NaN prints as `nan` without a sign.
    static func fixed(_ value: Double, precision: Int, width: Int = 0, spaceSign: Bool = false) -> String {
        var body: String
        if value.isNaN {
            body = spaceSign ? " nan" : "nan"
        } else if value.isInfinite {
            body = value < 0 ? "-inf" : (spaceSign ? " inf" : "inf")
        } else {
            let format = "%" + (spaceSign ? " " : "") + ".\(precision)f"
            body = String(format: format, value)
        }
        if body.count < width { body = String(repeating: " ", count: width - body.count) + body }
        return body
    }

    /// `"{:>W}".format(text)`.
    static func rightAligned(_ text: String, width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
