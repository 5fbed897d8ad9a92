import Foundation
import XCTest

/// Counts the tests skipped (or, with `MD2_REQUIRE_FIXTURES=1`, failed) because a reference fixture
/// or a built executable is missing, and prints one summary line when the test bundle finishes.
///
/// It registers itself as a test observer the first time something is missing, so a run with
/// everything in place prints nothing. A test is counted once, at its end, with the first thing it
/// missed; a test that caught the error and passed is not counted.
public final class FixtureReport: NSObject, XCTestObservation, @unchecked Sendable {
    public enum Kind: Sendable { case fixture, executable }

    /// What a test missed, as the error it throws under `MD2_REQUIRE_FIXTURES=1` (a failure).
    public struct Missing: Error, CustomStringConvertible, Sendable {
        public let kind: Kind
        public let name: String
        public let searched: [String]
        public var description: String {
            switch kind {
            case .fixture:
                return "missing reference fixture \(name) (looked in \(searched.joined(separator: " and "))); "
                    + "MD2_REQUIRE_FIXTURES=1 makes this a failure"
            case .executable:
                return "executable \(name) is not built (looked in \(searched.joined(separator: ", "))); "
                    + "MD2_REQUIRE_FIXTURES=1 makes this a failure"
            }
        }
    }

    static let shared = FixtureReport()

    private let lock = NSLock()
    private var registered = false
    private var pending: Missing?
    private var counted: [(test: String, missing: Missing, skipped: Bool)] = []

    /// The error a test throws for something missing: `XCTSkip` with the reason, or (required) `Missing`.
    /// `file`, `line`: where the test asked (the skip is reported there).
    static func missing(_ kind: Kind, _ name: String, searched: [String]? = nil,
                        file: StaticString = #filePath, line: UInt = #line) -> Error {
        let missing = Missing(kind: kind, name: name,
                              searched: searched ?? Fixtures.referenceRoots.map { $0.path })
        shared.note(missing)
        if Fixtures.required { return missing }
        return XCTSkip(skipMessage(missing), file: file, line: line)
    }

    static let skipPrefix = "missing: "

    static func skipMessage(_ missing: Missing) -> String {
        switch missing.kind {
        case .fixture:
            return skipPrefix + "reference fixture \(missing.name) is in neither \(missing.searched.joined(separator: " nor ")) "
                + "(put the reference fixtures at ../shared/reference beside the checkout, or set MD2_SHARED)"
        case .executable:
            return skipPrefix + "executable \(missing.name) is not built beside the tests "
                + "(looked in \(missing.searched.joined(separator: ", ")))"
        }
    }

    /// A shared fixture's stored failure, rethrown to another test: counted for that test too.
    static func noteAgain(_ error: Error) {
        if let missing = error as? Missing { shared.note(missing); return }
        if let skip = error as? XCTSkip, let message = skip.message, message.hasPrefix(skipPrefix),
           let missing = shared.lastMissing(withMessage: message) {
            shared.note(missing)
        }
    }

    private var recent: [String: Missing] = [:]

    private func lastMissing(withMessage message: String) -> Missing? {
        lock.lock()
        defer { lock.unlock() }
        return recent[message]
    }

    private func note(_ missing: Missing) {
        lock.lock()
        if pending == nil { pending = missing }
        recent[Self.skipMessage(missing)] = missing
        let register = !registered
        registered = true
        lock.unlock()
        if register { XCTestObservationCenter.shared.addTestObserver(self) }
    }

    public func testCaseDidFinish(_ testCase: XCTestCase) {
        lock.lock()
        defer { lock.unlock() }
        guard let missing = pending else { return }
        pending = nil
        let run = testCase.testRun
        let skipped = run?.hasBeenSkipped ?? false
        let failed = (run?.totalFailureCount ?? 0) > 0
        if skipped || failed { counted.append((testCase.name, missing, skipped)) }
    }

    public func testBundleDidFinish(_ testBundle: Bundle) {
        lock.lock()
        let lines = Self.summary(counted)
        lock.unlock()
        guard let line = lines else { return }
        print(line)
        fflush(nil)  // all C streams: print buffers stdout
    }

    /// The one summary line, or nil when nothing was missing.
    static func summary(_ counted: [(test: String, missing: Missing, skipped: Bool)]) -> String? {
        guard !counted.isEmpty else { return nil }
        let verb = counted.allSatisfy(\.skipped) ? "skipped" : (counted.contains(where: \.skipped) ? "skipped or failed" : "failed")
        var parts: [String] = []
        let fixtures = counted.filter { $0.missing.kind == .fixture }
        if !fixtures.isEmpty {
            // The example: the path most tests missed (then the first by name).
            var counts: [String: Int] = [:]
            for test in fixtures { counts[test.missing.name, default: 0] += 1 }
            let paths = counts.keys.sorted { (counts[$0]!, $1) > (counts[$1]!, $0) }
            let classes = Set(fixtures.map { Self.className($0.test) }).count
            parts.append("\(fixtures.count) parity test\(fixtures.count == 1 ? "" : "s") in \(classes) class\(classes == 1 ? "" : "es") "
                + "need\(fixtures.count == 1 ? "s" : "") reference fixtures that are not here (\(paths.count) path\(paths.count == 1 ? "" : "s"), e.g. \(paths[0])); "
                + "they go in \(Fixtures.sharedReferenceRoot.standardizedFileURL.path) (../shared/reference beside the checkout, "
                + "or $MD2_SHARED/reference)")
        }
        let executables = counted.filter { $0.missing.kind == .executable }
        if !executables.isEmpty {
            let names = Set(executables.map { $0.missing.name }).sorted().joined(separator: ", ")
            parts.append("\(executables.count) test\(executables.count == 1 ? " needs" : "s need") executables that are not built (\(names))")
        }
        return "Fixtures: \(counted.count) test\(counted.count == 1 ? "" : "s") \(verb): " + parts.joined(separator: "; ")
            + ". MD2_REQUIRE_FIXTURES=1 turns these into failures (CI sets it)."
    }

    /// "-[NetworksTests.DemoTests testX]" or "DemoTests.testX" -> the class part.
    static func className(_ testName: String) -> String {
        let trimmed = testName.trimmingCharacters(in: CharacterSet(charactersIn: "-[]"))
        if let space = trimmed.firstIndex(of: " ") { return String(trimmed[..<space]) }
        if let dot = trimmed.lastIndex(of: ".") { return String(trimmed[..<dot]) }
        return trimmed
    }
}
