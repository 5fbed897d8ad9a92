import Foundation

/// A KITTI calibration file (`calib_cam_to_cam.txt`, `calib_velo_to_cam.txt`) read with the
/// semantics of `kitti_utils.read_calib_file`: each line is split at its FIRST `:` into key
/// and stripped value; a value made only of the characters `0123456789.e+- ` that parses as
/// space-separated floats becomes numbers (float64), anything else stays text.
public struct CalibrationFile: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case numbers([Double])
        case text(String)
    }

    /// Entries by key, as in the file (keys are not stripped, like the original).
    public var entries: [String: Value]
    /// The file, for messages.
    public var path: String

    public init(entries: [String: Value], path: String = "<memory>") {
        self.entries = entries
        self.path = path
    }

    /// Reads and parses a calibration file.
    public init(contentsOf url: URL) throws(KITTIDataError) {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw .missingFile(path: url.path, what: "calibration file")
        }
        try self.init(parsing: text, path: url.path)
    }

    /// Parses calibration text; `path` names the source in errors. Blank lines are skipped
    /// (the original would fail on them); any other line without `:` is an error.
    public init(parsing text: String, path: String = "<memory>") throws(KITTIDataError) {
        self.path = path
        entries = [:]
        let floatCharacters = Set("0123456789.e+- ")
        // Python's text mode turns \r\n and \r into \n before readlines().
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        for (offset, line) in normalized.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy(\.isWhitespace) { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw .malformedFile(path: path, problem: "line \(offset + 1) has no ':' (\"\(line)\")")
            }
            let key = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            entries[key] = .text(value)
            if value.allSatisfy({ floatCharacters.contains($0) }) {
                var numbers: [Double] = []
                var parsed = true
                for token in value.split(separator: " ", omittingEmptySubsequences: false) {
                    guard let number = Double(token) else { parsed = false; break }
                    numbers.append(number)
                }
                if parsed { entries[key] = .numbers(numbers) }
            }
        }
    }

    /// The numbers of `key`, which must have exactly `count` of them.
    public func numbers(_ key: String, count: Int) throws(KITTIDataError) -> [Double] {
        guard let value = entries[key] else {
            throw .malformedFile(path: path, problem: "no '\(key)' entry")
        }
        guard case .numbers(let numbers) = value else {
            throw .malformedFile(path: path, problem: "'\(key)' is not a list of numbers")
        }
        guard numbers.count == count else {
            throw .malformedFile(path: path, problem: "'\(key)' has \(numbers.count) numbers, expected \(count)")
        }
        return numbers
    }
}
