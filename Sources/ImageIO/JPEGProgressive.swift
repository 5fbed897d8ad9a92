// Progressive (SOF2) Huffman scans, T.81 G.1.2 as libjpeg's jdphuff.c decodes them: DC first and
// refinement scans (interleaved or not), AC first scans with EOB runs, and AC refinement scans with
// correction bits. All write into the coefficient store.

/// DC first scan: DC difference, scaled by 2^Al.
struct JPEGDCFirstCoder: JPEGBlockCoder {
    let dc: [JPEGHuffmanLUT]
    let al: Int
    let predictors: UnsafeMutablePointer<Int32>

    init(dc: [JPEGHuffmanLUT], al: Int, predictors: UnsafeMutablePointer<Int32>) {
        self.dc = dc
        self.al = al
        self.predictors = predictors
    }

    mutating func restart() { predictors.update(repeating: 0, count: 4) }

    @inline(__always)
    mutating func decode(_ block: UnsafeMutablePointer<Int16>, slot: Int, _ reader: inout JPEGBitReader) -> Bool {
        reader.ensure32()
        let s = dc[slot].decode(&reader)
        let diff = s != 0 ? Int32(truncatingIfNeeded: jpegExtend(reader.take(s), s)) : 0
        let value = predictors[slot] &+ diff
        predictors[slot] = value
        block[0] = Int16(truncatingIfNeeded: value &<< Int32(al))
        return true
    }
}

/// DC refinement scan: one bit per block.
struct JPEGDCRefineCoder: JPEGBlockCoder {
    let bit: Int16

    init(al: Int) { bit = Int16(truncatingIfNeeded: 1 << al) }

    mutating func restart() {}

    @inline(__always)
    mutating func decode(_ block: UnsafeMutablePointer<Int16>, slot: Int, _ reader: inout JPEGBitReader) -> Bool {
        if reader.bit() != 0 { block[0] |= bit }
        return true
    }
}

/// AC first scan over the band Ss...Se of one component.
struct JPEGACFirstCoder: JPEGBlockCoder {
    let ac: JPEGHuffmanLUT
    let ss: Int, se: Int, al: Int
    let zigzag: UnsafePointer<Int32>
    var eobRun = 0

    init(ac: JPEGHuffmanLUT, ss: Int, se: Int, al: Int, zigzag: UnsafePointer<Int32>) {
        self.ac = ac
        self.ss = ss
        self.se = se
        self.al = al
        self.zigzag = zigzag
    }

    mutating func restart() { eobRun = 0 }

    @inline(__always)
    mutating func decode(_ block: UnsafeMutablePointer<Int16>, slot: Int, _ reader: inout JPEGBitReader) -> Bool {
        if eobRun > 0 {
            eobRun -= 1
            return true
        }
        var k = ss
        while k <= se {
            reader.ensure32()
            let f = Int(ac.fastAC[reader.peek(JPEGHuffmanDecoder.lookaheadBits)])
            if f != 0 && f &>> 8 != 0 {
                // Code and value in one lookup (EOB/ZRL entries, value 0, take the general path).
                reader.skip(f & 15)
                k &+= (f &>> 4) & 15
                block[Int(zigzag[k])] = Int16(truncatingIfNeeded: (f &>> 8) &<< al)
                k &+= 1
                continue
            }
            let symbol = ac.decode(&reader)
            let r = symbol >> 4, s = symbol & 15
            if s != 0 {
                k += r
                let value = jpegExtend(reader.take(s), s)
                block[Int(zigzag[k])] = Int16(truncatingIfNeeded: value &<< al)
            } else if r == 15 {
                k += 15
            } else {
                // EOBr: this block and 2^r + (r appended bits) - 1 more end here.
                eobRun = 1 << r
                if r != 0 { eobRun += reader.bits(r) }
                eobRun -= 1
                break
            }
            k += 1
        }
        return true
    }
}

/// AC refinement scan over Ss...Se: newly non-zero coefficients (+-2^Al) and correction bits for the
/// coefficients that are already non-zero.
struct JPEGACRefineCoder: JPEGBlockCoder {
    let ac: JPEGHuffmanLUT
    let ss: Int, se: Int
    let plus: Int16, minus: Int16
    let zigzag: UnsafePointer<Int32>
    var eobRun = 0

    init(ac: JPEGHuffmanLUT, ss: Int, se: Int, al: Int, zigzag: UnsafePointer<Int32>) {
        self.ac = ac
        self.ss = ss
        self.se = se
        self.plus = Int16(truncatingIfNeeded: 1 << al)
        self.minus = Int16(truncatingIfNeeded: -1 << al)
        self.zigzag = zigzag
    }

    mutating func restart() { eobRun = 0 }

    /// Appends a correction bit to a non-zero coefficient: a 1 increases its magnitude by 2^Al.
    @inline(__always)
    func correct(_ block: UnsafeMutablePointer<Int16>, _ position: Int, _ reader: inout JPEGBitReader) {
        let coef = block[position]
        if reader.bit() != 0 && (coef & plus) == 0 {
            block[position] = coef >= 0 ? coef &+ plus : coef &+ minus
        }
    }

    mutating func decode(_ block: UnsafeMutablePointer<Int16>, slot: Int, _ reader: inout JPEGBitReader) -> Bool {
        var k = ss
        if eobRun == 0 {
            while k <= se {
                reader.ensure32()
                let symbol = ac.decode(&reader)
                var r = symbol >> 4
                let s = symbol & 15
                var value: Int16 = 0
                if s != 0 {
                    // The size should be 1 (libjpeg only warns otherwise); one sign bit follows.
                    value = reader.bit() != 0 ? plus : minus
                } else if r != 15 {
                    eobRun = 1 << r
                    if r != 0 { eobRun += reader.bits(r) }
                    break
                }
                // Skip r zero coefficients (correcting the non-zero ones passed on the way).
                repeat {
                    let position = Int(zigzag[k])
                    if block[position] != 0 {
                        correct(block, position, &reader)
                    } else {
                        r -= 1
                        if r < 0 { break }
                    }
                    k += 1
                } while k <= se
                if s != 0 {
                    block[Int(zigzag[k])] = value
                }
                k += 1
            }
        }
        if eobRun > 0 {
            // Inside an end-of-band run: only correction bits for the non-zero coefficients.
            while k <= se {
                let position = Int(zigzag[k])
                if block[position] != 0 { correct(block, position, &reader) }
                k += 1
            }
            eobRun -= 1
        }
        return true
    }
}
