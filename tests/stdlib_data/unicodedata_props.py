# unicodedata properties over ranges of code points, summarised per block
# (a mismatch names the block), for Unicode 14.0 and ucd_3_2_0.
import unicodedata


def digest(values):
    h = 0
    for v in values:
        for ch in repr(v):
            h = (h * 1000003 + ord(ch)) & 0xFFFFFFFFFFFF
    return h


def cps():
    # Dense where the data is dense, sampled elsewhere.
    yield from range(0, 0x3400, 5)
    yield from range(0x3400, 0xA000, 211)
    yield from range(0xA000, 0x20000, 23)
    yield from range(0x20000, 0x110000, 1009)


for ucd in (unicodedata, unicodedata.ucd_3_2_0):
    print(ucd.unidata_version)
    blocks = {}
    for cp in cps():
        c = chr(cp)
        blocks.setdefault(cp >> 12, []).append((
            ucd.category(c), ucd.bidirectional(c), ucd.combining(c), ucd.east_asian_width(c),
            ucd.mirrored(c), ucd.decimal(c, None), ucd.digit(c, None), ucd.numeric(c, None),
            ucd.decomposition(c), ucd.name(c, None)))
    for b, vals in sorted(blocks.items()):
        print(hex(b << 12), len(vals), digest(vals))
    counts = {}
    for vals in blocks.values():
        for v in vals:
            counts[v[0]] = counts.get(v[0], 0) + 1
    print(sorted(counts.items()))
