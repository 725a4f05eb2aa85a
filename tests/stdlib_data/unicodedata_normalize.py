# unicodedata.normalize / is_normalized, lookup, name, errors, ucd_3_2_0.
import unicodedata as ud

samples = [
    "", "abc", "\u00e9", "e\u0301", "\u1e9b\u0323", "\ufb01", "\u2460", "\uac00", "\uac01",
    "\u1100\u1161\u11a8", "\u1100\u1161", "\u0041\u030a", "\u212b", "\u2126", "A\u0328\u0301",
    "\u0061\u0315\u0300\u05ae\u0300\u0062", "\u00c5\u0327", "\u1e0b\u0323", "q\u0307\u0323",
    "\u2000\u00a0x", "\u33c2", "\ufdfa", "\U0001d400", "\u0f77", "\u0344", "\U0002f868",
    "\U00011099\U000110ba", "\U0001109a", "\u3300\uff76\uff9e", "\u0958\u0931\u093c",
    "Stra\u00dfe \u2075\u2082 \u00bd", "\ud55c\uad6d\uc5b4", "\u304c\u3099",
]
for s in samples:
    for ucd in (ud, ud.ucd_3_2_0):
        row = []
        for form in ("NFC", "NFD", "NFKC", "NFKD"):
            r = ucd.normalize(form, s)
            row.append(ascii(r))
            assert ucd.is_normalized(form, r), (form, s)
            row.append(ucd.is_normalized(form, s))
        print(ucd.unidata_version, ascii(s), *row)

# Every character of some dense blocks, digested.
def digest(values):
    h = 0
    for v in values:
        for ch in v:
            h = (h * 1000003 + ord(ch)) & 0xFFFFFFFFFFFF
    return h

for lo, hi in [(0, 0x800), (0x1E00, 0x2200), (0x3000, 0x3400), (0xF900, 0x10000), (0x1D100, 0x1D200), (0x2F800, 0x2FA20)]:
    for ucd in (ud, ud.ucd_3_2_0):
        text = "".join(chr(c) for c in range(lo, hi) if not 0xD800 <= c < 0xE000)
        print(hex(lo), ucd.unidata_version, [digest(ucd.normalize(f, text)) for f in ("NFC", "NFD", "NFKC", "NFKD")])
        print("   ", [digest(ucd.normalize(f, chr(c)) for c in range(lo, hi)) for f in ("NFC", "NFKD")])

# Names and lookup.
for c in "A\u00e9 \u00a0\u01a2\u0709\ufeff\uac00\ud7a3\u4e00\u9fff\U00020000\U0002a6df\U0001f600\u2028\u0f0b":
    print(ascii(c), ud.name(c, None), ud.ucd_3_2_0.name(c, None))
for n in ["LATIN SMALL LETTER A", "latin small letter a", "BYTE ORDER MARK", "BOM", "SPACE", "SP",
          "LATIN SMALL LETTER R WITH TILDE", "latin capital letter a with macron and grave",
          "HANGUL SYLLABLE GAG", "hangul syllable gag", "CJK UNIFIED IDEOGRAPH-4E00",
          "CJK UNIFIED IDEOGRAPH-9FA6", "cjk unified ideograph-4e00", "GRINNING FACE",
          "LINE FEED", "NULL", "nope", "x" * 300, "LATIN SMALL LETTER A\x00X",
          b"LATIN SMALL LETTER B", bytearray(b"DIGIT ONE"), 5]:
    for ucd in (ud, ud.ucd_3_2_0):
        try:
            print(ucd.unidata_version, ascii(ucd.lookup(n)))
        except (KeyError, TypeError) as e:
            print(ucd.unidata_version, type(e).__name__, e)

for call in [lambda: ud.category(1), lambda: ud.category("ab"), lambda: ud.name(""),
             lambda: ud.name("\x00"), lambda: ud.decimal("a"), lambda: ud.digit("a"),
             lambda: ud.numeric("a"), lambda: ud.normalize("X", "a"), lambda: ud.normalize("NFC", b"a"),
             lambda: ud.normalize(1, "a"), lambda: ud.is_normalized("X", "a"), lambda: ud.UCD(),
             lambda: ud.name("a", "b", "c"), lambda: ud.category("\ud800"), lambda: ud.name("\ud800")]:
    try:
        print(repr(call()))
    except Exception as e:
        print(type(e).__name__, e)
print(ud.unidata_version, ud.ucd_3_2_0.unidata_version, type(ud.ucd_3_2_0).__name__, ud.UCD.__module__)
print(ud.numeric("\u00bd"), ud.numeric("\u2187"), ud.numeric("\U00012432"), ud.decimal("\u0660"), ud.digit("\u00b2"))
print(ud.name("\x00", 5), ud.decimal("a", None))
