/// DEFLATE decompression (RFC 1951) and its zlib wrapper (RFC 1950).
///
/// Malformed input of any kind (bad block type, bad code lengths, distance too far back, truncated
/// stream, wrong checksum, output over `limit`) throws `CodecError`; it never traps.
public enum Inflate {
    /// Decompresses a raw DEFLATE stream. `expectedSize` (if known) presizes the output;
    /// output larger than `limit` bytes is an error (guards against decompression bombs).
    /// Bytes after the end of the stream are ignored.
    public static func decompress(_ data: [UInt8], expectedSize: Int? = nil, limit: Int = 1 << 32) throws(CodecError) -> [UInt8] {
        try withBytes(data) { (raw) throws(CodecError) in
            try decompress(raw, expectedSize: expectedSize, limit: limit).output
        }
    }

    /// Decompresses a zlib stream (2-byte header, DEFLATE data, Adler-32 checked).
    public static func decompressZlib(_ data: [UInt8], expectedSize: Int? = nil, limit: Int = 1 << 32) throws(CodecError) -> [UInt8] {
        try withBytes(data) { (raw) throws(CodecError) in
            try withDecompressedZlib(raw, expectedSize: expectedSize, limit: limit) { buffer, _ in Array(buffer) }
        }
    }

    /// Decompresses a raw DEFLATE stream from memory and also returns `consumed`, the number of
    /// input bytes the stream occupied (the final block rounded up to a whole byte), for containers
    /// that store data after it.
    public static func decompress(_ data: UnsafeRawBufferPointer, expectedSize: Int? = nil,
                                  limit: Int = 1 << 32) throws(CodecError) -> (output: [UInt8], consumed: Int) {
        var decoder = try run(data, from: 0, expectedSize: expectedSize, limit: limit, stopAtLimit: false)
        defer { decoder.output.release() }
        try decoder.input.alignToByte()
        let output = Array(UnsafeBufferPointer(start: decoder.output.base, count: decoder.written))
        return (output, decoder.input.position)
    }

    /// Decompresses a zlib stream and lends the output to `body` without copying it.
    ///
    /// With `stopAtLimit`, reaching `limit` ends decoding without an error (the rest of the stream
    /// and the checksum are not read) and `body` gets `complete == false`; PNG uses this with the
    /// exact image size as the limit, ignoring surplus data as libpng and Pillow do.
    /// Otherwise `complete` is always true: the stream ended and its Adler-32 matched.
    public static func withDecompressedZlib<R>(_ data: UnsafeRawBufferPointer, expectedSize: Int? = nil,
                                               limit: Int = 1 << 32, stopAtLimit: Bool = false,
                                               _ body: (UnsafeMutableBufferPointer<UInt8>, _ complete: Bool) -> R) throws(CodecError) -> R {
        guard data.count >= 2, let bytes = data.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw CodecError("truncated zlib stream")
        }
        let cmf = Int(bytes[0]), flags = Int(bytes[1])
        guard cmf & 15 == 8 else { throw CodecError("unknown zlib compression method \(cmf & 15)") }
        guard cmf >> 4 <= 7 else { throw CodecError("invalid zlib window size") }
        guard (cmf << 8 | flags) % 31 == 0 else { throw CodecError("incorrect zlib header check") }
        guard flags & 0x20 == 0 else { throw CodecError("zlib preset dictionary is not supported") }

        var decoder = try run(data, from: 2, expectedSize: expectedSize, limit: limit, stopAtLimit: stopAtLimit)
        defer { decoder.output.release() }
        let output = UnsafeMutableBufferPointer(start: decoder.output.base, count: decoder.written)
        guard decoder.finished else { return body(output, false) }
        try decoder.input.alignToByte()
        let position = decoder.input.position
        guard data.count - position >= 4 else { throw CodecError("truncated zlib stream (no Adler-32)") }
        let stored = UInt32(bytes[position]) << 24 | UInt32(bytes[position + 1]) << 16
            | UInt32(bytes[position + 2]) << 8 | UInt32(bytes[position + 3])
        guard Adler32.checksum(UnsafeRawBufferPointer(output)) == stored else {
            throw CodecError("incorrect zlib data check (Adler-32)")
        }
        return body(output, true)
    }

    /// Runs the decoder from byte `start`; on success the caller owns `output` and must release it.
    private static func run(_ data: UnsafeRawBufferPointer, from start: Int, expectedSize: Int?, limit: Int,
                            stopAtLimit: Bool) throws(CodecError) -> (input: InflateBitReader, output: InflateOutput, written: Int, finished: Bool) {
        guard start < data.count, let base = data.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw InflateBitReader.truncated
        }
        // DEFLATE expands at most 1032:1 (a 258-byte match in 2 bits), so a claimed size beyond
        // that (a lying container header) is not allocated up front.
        let input = data.count - start
        let mostPossible = input < Int.max / 1032 - 1 ? input * 1032 + 1024 : Int.max / 2
        let guess = min(input < Int.max / 4 ? max(4 * input, 4096) : Int.max / 4, mostPossible)
        let initial = min(max(0, expectedSize ?? guess), mostPossible)
        let output = try InflateOutput(initialCapacity: initial, limit: max(0, limit), stopAtLimit: stopAtLimit)
        var decoder = InflateDecoder(input: InflateBitReader(base: base, count: data.count, position: start), output: output)
        defer { decoder.releaseTables() }
        do {
            let finished = try decoder.run()
            return (decoder.input, decoder.output, decoder.written, finished)
        } catch {
            decoder.output.release()
            throw error
        }
    }

    private static func withBytes<R>(_ data: [UInt8], _ body: (UnsafeRawBufferPointer) throws(CodecError) -> R) throws(CodecError) -> R {
        let result: Result<R, CodecError> = data.withUnsafeBytes { raw in
            do throws(CodecError) { return .success(try body(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
