#!/usr/bin/env python3
"""Exhaustive check of the CJK codecs: run under python3 and under taipan and
compare the outputs (one digest line per codec and check).

    python3 tools/check_cjk_codecs.py > /tmp/a.txt
    target/debug/taipan tools/check_cjk_codecs.py > /tmp/b.txt
    diff /tmp/a.txt /tmp/b.txt

`--dump CODEC KIND` prints the raw results of one check instead of a digest
(KIND: dec2, dec3, dec4, enc) to find the first difference.

dec2: every 1- and 2-byte sequence decoded alone (result or error range and
reason); dec3: 0x8F + every byte pair (EUC-JP family), 0xA4D4 make-up
sequences (EUC-KR); dec4: GB 18030 four-byte sequences; enc: every code
point of planes 0-2 encoded in runs of 128 with an error handler recording
the failing ranges (and the encodings of the combining pairs).
"""
import codecs
import sys

CODECS = ("shift_jis cp932 euc_jp shift_jis_2004 shift_jisx0213 euc_jis_2004 euc_jisx0213 gb2312 gbk gb18030 hz "
          "euc_kr cp949 johab big5 cp950 big5hkscs iso2022_jp iso2022_jp_1 iso2022_jp_2 iso2022_jp_2004 iso2022_jp_3 "
          "iso2022_jp_ext iso2022_kr").split()


def dec(b, c):
    try:
        return b.decode(c)
    except UnicodeDecodeError as e:
        return (e.start, e.end, e.reason)


def checks(c):
    def dec2():
        for a in range(256):
            yield (a, dec(bytes([a]), c))
            for b in range(256):
                yield (a, b, dec(bytes([a, b]), c))

    def dec3():
        if c.startswith("euc_j"):
            for a in range(0xA0, 0x100):
                for b in range(0xA0, 0x100):
                    yield (a, b, dec(bytes([0x8F, a, b]), c))
        if c == "euc_kr":
            for a in range(0xA0, 0xD6):
                for b in range(0xBE, 0xD5):
                    yield (a, b, dec(bytes([0xA4, 0xD4, 0xA4, a, 0xA4, b, 0xA4, 0xD4]), c))
                    yield (a, b, dec(bytes([0xA4, 0xD4, 0xA4, 0xA1, 0xA4, b, 0xA4, a]), c))

    def dec4():
        if c.startswith("iso2022"):
            for esc in (b"\x1b$B", b"\x1b$@", b"\x1b(J", b"\x1b(I", b"\x1b$A", b"\x1b$(C", b"\x1b$(D", b"\x1b$(O",
                        b"\x1b$(P", b"\x1b$(Q", b"\x1b$)C\x0e", b"\x1b.A\x1bN", b"\x1b.F\x1bN", b"\x1b&@\x1b$B",
                        b"\x1b(B", b"\x1bN", b"\x1b", b"\x1b$", b"\x1b$(", b"\x1b(A", b"\x1b$)A\x0e"):
                for a in range(0x00, 0x100):
                    for b in range(0x20, 0x80, 1 if 0x20 <= a < 0x80 else 16):
                        yield (esc, a, b, dec(esc + bytes([a, b]), c))
        if c == "gb18030":
            for a in (0x80, 0x81, 0x82, 0x84, 0x85, 0x8F, 0x90, 0x91, 0xA0, 0xE3, 0xE4, 0xFE, 0xFF):
                for b in range(0x2F, 0x3B):
                    for x in range(0x80, 0x100):
                        yield (a, b, x, dec(bytes([a, b, x, 0x30]), c), dec(bytes([a, b, x, 0x39]), c))

    def enc():
        seen = []

        def rec(e):
            seen.append((e.start, e.end))
            return ("", e.end)

        codecs.register_error("cjkcheck", rec)
        for lo in list(range(0, 0x30000, 128)):
            if 0xD800 <= lo < 0xE000:
                continue
            s = "".join(map(chr, range(lo, lo + 128)))
            del seen[:]
            yield (lo, s.encode(c, "cjkcheck"), tuple(seen))
        for pair in ("\u00ca\u0304", "\u00ca\u030c", "\u00ea\u0304", "\u00ea\u030c", "\u304b\u309a", "\u31f7\u309a",
                     "\u02e9\u02e5", "\u02e5\u02e9", "\u00e6\u0300", "\u0254\u0301", "\u304b", "\u00ca"):
            try:
                yield (pair, pair.encode(c))
            except UnicodeEncodeError as e:
                yield (pair, e.start, e.end)

    return {"dec2": dec2, "dec3": dec3, "dec4": dec4, "enc": enc}


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--dump":
        for item in checks(sys.argv[2])[sys.argv[3]]():
            print(repr(item))
        return
    import hashlib
    names = sys.argv[1:] or CODECS
    for c in names:
        for kind, f in checks(c).items():
            h = hashlib.sha1()
            n = 0
            for item in f():
                h.update(repr(item).encode("utf-8", "surrogatepass"))
                n += 1
            print(c, kind, n, h.hexdigest()[:16], flush=True)


main()
