/// LZ77 parsing with hash chains and lazy matching (the zlib scheme: 3-byte hash heads, a 32 KiB
/// chain of previous positions, per-level chain lengths), feeding `DeflateBlockWriter` one block
/// of up to `blockSymbols` symbols at a time.
struct DeflateCompressor {
    /// zlib's per-level tuning: stop searching at `nice`, quarter the chain once a match of `good`
    /// is in hand, skip the lazy search once a match of `lazy` is in hand (0 = greedy parsing);
    /// greedy levels add the positions inside a match to the chains only up to `maxInsert`.
    struct Parameters {
        var good: Int, lazy: Int, nice: Int, chain: Int, maxInsert = Int.max
    }

    static func parameters(level: Int) -> Parameters {
        switch level {
        case ...1: return Parameters(good: 4, lazy: 0, nice: 8, chain: 4, maxInsert: 4)
        case 2: return Parameters(good: 4, lazy: 0, nice: 16, chain: 8, maxInsert: 5)
        case 3: return Parameters(good: 4, lazy: 0, nice: 32, chain: 32, maxInsert: 6)
        case 4: return Parameters(good: 4, lazy: 4, nice: 16, chain: 16)
        case 5: return Parameters(good: 8, lazy: 16, nice: 32, chain: 32)
        case 6: return Parameters(good: 8, lazy: 16, nice: 128, chain: 128)
        case 7: return Parameters(good: 8, lazy: 32, nice: 128, chain: 256)
        case 8: return Parameters(good: 32, lazy: 128, nice: 258, chain: 1024)
        default: return Parameters(good: 32, lazy: 258, nice: 258, chain: 4096)
        }
    }

    private static let windowMask = 32767
    /// Farthest distance searched: one less than the window so a live chain slot is never reused.
    private static let maxDistance = 32767
    private static let hashBits = 15
    private static let blockSymbols = 16384
    private static let minMatch = 3
    private static let maxMatch = 258
    /// zlib's TOO_FAR: a 3-byte match this far back costs more than three literals.
    private static let tooFar = 4096
    /// Chain entries are Int32 offsets from `windowBase`, slid down before they could overflow.
    private static let slideAt = 1 << 30

    private let base: UnsafePointer<UInt8>
    private let count: Int
    private let parameters: Parameters
    private let head: UnsafeMutablePointer<Int32>
    private let previous: UnsafeMutablePointer<Int32>
    private let symbols: UnsafeMutablePointer<UInt32>
    private let literalFrequencies: UnsafeMutablePointer<Int>
    private let distanceFrequencies: UnsafeMutablePointer<Int>
    private var windowBase = 0
    private var symbolCount = 0
    private var blockStart = 0
    private var writer: DeflateBitWriter

    /// Compresses `data` into `writer` as a complete raw DEFLATE stream (final block included).
    static func compress(_ data: UnsafeBufferPointer<UInt8>, level: Int, into writer: inout DeflateBitWriter) {
        guard level > 0, let base = data.baseAddress, data.count > 0 else {
            DeflateBlockWriter.writeStored(data, final: true, to: &writer)
            return
        }
        var compressor = DeflateCompressor(base: base, count: data.count, parameters: parameters(level: level), writer: writer)
        if compressor.parameters.lazy == 0 { compressor.parseGreedily() } else { compressor.parseLazily() }
        compressor.flush(upTo: data.count, final: true)
        writer = compressor.writer
        compressor.release()
    }

    private init(base: UnsafePointer<UInt8>, count: Int, parameters: Parameters, writer: DeflateBitWriter) {
        self.base = base
        self.count = count
        self.parameters = parameters
        self.writer = writer
        head = .allocate(capacity: 1 << Self.hashBits)
        head.initialize(repeating: -1, count: 1 << Self.hashBits)
        previous = .allocate(capacity: Self.windowMask + 1)
        previous.initialize(repeating: -1, count: Self.windowMask + 1)
        symbols = .allocate(capacity: Self.blockSymbols)
        literalFrequencies = .allocate(capacity: 286)
        literalFrequencies.initialize(repeating: 0, count: 286)
        distanceFrequencies = .allocate(capacity: 30)
        distanceFrequencies.initialize(repeating: 0, count: 30)
    }

    private func release() {
        head.deallocate()
        previous.deallocate()
        symbols.deallocate()
        literalFrequencies.deallocate()
        distanceFrequencies.deallocate()
    }

    // MARK: - Parsing

    /// Levels 1-3: take the longest match at each position.
    private mutating func parseGreedily() {
        var position = 0
        while position < count {
            var match = (length: 0, distance: 0)
            if count - position >= Self.minMatch {
                let candidate = insert(position)
                if candidate >= 0 { match = longestMatch(at: position, candidate: candidate, better: Self.minMatch - 1) }
                if match.length == Self.minMatch && match.distance > Self.tooFar { match = (0, 0) }
            }
            if match.length >= Self.minMatch {
                emitMatch(at: position, length: match.length, distance: match.distance)
                if match.length <= parameters.maxInsert { insertRange(from: position + 1, to: position + match.length) }
                position += match.length
            } else {
                emitLiteral(at: position)
                position += 1
            }
        }
    }

    /// Levels 4-9: keep a match pending while the next position may do better (zlib's deflate_slow).
    private mutating func parseLazily() {
        var position = 0
        var pending = (length: 0, distance: 0)
        var literalPending = false
        while position < count {
            var match = (length: 0, distance: 0)
            if count - position >= Self.minMatch {
                let candidate = insert(position)
                if candidate >= 0 && pending.length < parameters.lazy {
                    match = longestMatch(at: position, candidate: candidate, better: max(pending.length, Self.minMatch - 1))
                    if match.length == Self.minMatch && match.distance > Self.tooFar { match = (0, 0) }
                }
            }
            if pending.length >= Self.minMatch && match.length <= pending.length {
                let start = position - 1
                emitMatch(at: start, length: pending.length, distance: pending.distance)
                insertRange(from: position + 1, to: start + pending.length)
                position = start + pending.length
                pending = (0, 0)
                literalPending = false
            } else {
                if literalPending { emitLiteral(at: position - 1) }
                literalPending = true
                pending = match
                position += 1
            }
        }
        if literalPending { emitLiteral(at: position - 1) }
    }

    // MARK: - Hash chains

    @inline(__always)
    private func hash(_ position: Int) -> Int {
        let p = base + position
        let word = UInt32(p[0]) | UInt32(p[1]) << 8 | UInt32(p[2]) << 16
        return Int((word &* 0x9E37_79B1) >> UInt32(32 - Self.hashBits))
    }

    /// Makes `position` the newest entry of its chain; returns the previous head (or -1).
    @inline(__always)
    private mutating func insert(_ position: Int) -> Int {
        if position - windowBase >= Self.slideAt { slide() }
        let h = hash(position)
        let stored = head[h]
        previous[position & Self.windowMask] = stored
        head[h] = Int32(truncatingIfNeeded: position - windowBase)
        return stored < 0 ? -1 : windowBase + Int(stored)
    }

    /// Inserts positions `from..<to` (those with 3 bytes left), without searching.
    @inline(__always)
    private mutating func insertRange(from start: Int, to end: Int) {
        var position = start
        let last = min(end, count - Self.minMatch + 1)
        while position < last {
            _ = insert(position)
            position += 1
        }
    }

    /// Moves `windowBase` up by `slideAt / 2`; entries that fall below it become empty (-1).
    private mutating func slide() {
        let shift = Int32(Self.slideAt / 2)
        for index in 0...(Self.windowMask) { previous[index] = previous[index] >= shift ? previous[index] - shift : -1 }
        for index in 0..<(1 << Self.hashBits) { head[index] = head[index] >= shift ? head[index] - shift : -1 }
        windowBase += Int(shift)
    }

    /// Longest match at `position` longer than `better`, following the chain from `first`.
    @inline(__always)
    private func longestMatch(at position: Int, candidate first: Int, better: Int) -> (length: Int, distance: Int) {
        let maxLength = min(Self.maxMatch, count - position)
        var best = better
        var bestDistance = 0
        guard maxLength >= Self.minMatch, best < maxLength else { return (0, 0) }
        var chain = best >= parameters.good ? parameters.chain >> 2 : parameters.chain
        let nice = parameters.nice
        let lowest = max(position - Self.maxDistance, windowBase)
        var candidate = first
        let here = base + position
        // zlib's quick rejection: the two bytes ending a longer match, then the first two.
        var hereEnd = UnsafeRawPointer(here + best - 1).loadUnaligned(as: UInt16.self)
        let hereStart = UnsafeRawPointer(here).loadUnaligned(as: UInt16.self)
        while candidate >= lowest && chain > 0 {
            chain -= 1
            let there = base + candidate
            if UnsafeRawPointer(there + best - 1).loadUnaligned(as: UInt16.self) == hereEnd
                && UnsafeRawPointer(there).loadUnaligned(as: UInt16.self) == hereStart {
                var length = 2
                while length + 8 <= maxLength {
                    let difference = UnsafeRawPointer(here + length).loadUnaligned(as: UInt64.self)
                        ^ UnsafeRawPointer(there + length).loadUnaligned(as: UInt64.self)
                    if difference != 0 {
                        length += UInt64(littleEndian: difference).trailingZeroBitCount >> 3
                        break
                    }
                    length += 8
                }
                if length + 8 > maxLength {
                    while length < maxLength && here[length] == there[length] { length += 1 }
                }
                if length > best {
                    best = length
                    bestDistance = position - candidate
                    if length >= nice || length >= maxLength { break }
                    hereEnd = UnsafeRawPointer(here + best - 1).loadUnaligned(as: UInt16.self)
                }
            }
            let stored = previous[candidate & Self.windowMask]
            let next = stored < 0 ? -1 : windowBase + Int(stored)
            if next >= candidate { break }
            candidate = next
        }
        return bestDistance == 0 ? (0, 0) : (best, bestDistance)
    }

    // MARK: - Symbols

    @inline(__always)
    private mutating func emitLiteral(at position: Int) {
        let byte = base[position]
        symbols[symbolCount] = UInt32(byte)
        symbolCount += 1
        literalFrequencies[Int(byte)] += 1
        if symbolCount == Self.blockSymbols { flush(upTo: position + 1, final: false) }
    }

    @inline(__always)
    private mutating func emitMatch(at position: Int, length: Int, distance: Int) {
        symbols[symbolCount] = DeflateBlockWriter.matchFlag | UInt32(length - 3) << 16 | UInt32(distance - 1)
        symbolCount += 1
        literalFrequencies[257 + Int(DeflateBlockWriter.lengthIndex[length - 3])] += 1
        distanceFrequencies[DeflateBlockWriter.distanceSymbol(distance - 1)] += 1
        if symbolCount == Self.blockSymbols { flush(upTo: position + length, final: false) }
    }

    /// Writes the pending symbols as one block covering input `blockStart..<end`.
    private mutating func flush(upTo end: Int, final: Bool) {
        DeflateBlockWriter.write(symbols: UnsafeBufferPointer(start: symbols, count: symbolCount),
                                 literalFrequencies: Array(UnsafeBufferPointer(start: literalFrequencies, count: 286)),
                                 distanceFrequencies: Array(UnsafeBufferPointer(start: distanceFrequencies, count: 30)),
                                 raw: UnsafeBufferPointer(start: base + blockStart, count: end - blockStart),
                                 final: final, storedOnly: false, to: &writer)
        symbolCount = 0
        literalFrequencies.update(repeating: 0, count: 286)
        distanceFrequencies.update(repeating: 0, count: 30)
        blockStart = end
    }
}
