# Incremental decoding keeps incomplete sequences for the next chunk:
# unicode_escape / raw_unicode_escape escapes and surrogatepass UTF-8.
import codecs


def feed(encoding, data, errors="strict"):
    out = []
    for size in (1, 2, 3):
        dec = codecs.getincrementaldecoder(encoding)(errors)
        parts = [dec.decode(data[i:i + size]) for i in range(0, len(data), size)]
        parts.append(dec.decode(b"", True))
        out.append("".join(parts))
    return out


print(feed("unicode_escape", b"a\\x41\\u00e9\\U0001f600\\N{DIGIT ONE}\\n\\\\z"))
print(feed("raw_unicode_escape", b"a\\u00e9\\x41\\\\u0041\\U0001f600z"))
print(feed("utf-8", "a\ud901b\udc02".encode("utf-8", "surrogatepass"), "surrogatepass"))
print(codecs.unicode_escape_decode(b"ab\\", "strict", False))
print(codecs.unicode_escape_decode(b"ab\\x4", "strict", False))
print(codecs.unicode_escape_decode(b"ab\\N{DIG", "strict", False))
print(codecs.raw_unicode_escape_decode(b"ab\\u12", "strict", False))
for n in range(1, 5):
    print(n, codecs.raw_unicode_escape_decode(b"ab" + b"\\" * n, "strict", False),
          codecs.raw_unicode_escape_decode(b"ab" + b"\\" * n + b"u00", "strict", False))
print(feed("raw_unicode_escape", b"\\\\\\u0041\\\\u0041"))
print(codecs.utf_8_decode(b"a\xed\xa0", "surrogatepass", False))
print(codecs.utf_8_decode(b"a\xed", "surrogatepass", False))
for data in [b"ab\\", b"ab\\x4", b"\\xg"]:
    try:
        print(codecs.unicode_escape_decode(data))
    except UnicodeDecodeError as e:
        print(type(e).__name__, e)


# A codec error with several arguments is not rewrapped.
def search(name):
    if name == "iotb_chain":
        def fail(*args):
            raise RuntimeError("a", "b")
        return codecs.CodecInfo(fail, fail, name=name)


codecs.register(search)
for f in (lambda: "x".encode("iotb_chain"), lambda: b"x".decode("iotb_chain")):
    try:
        f()
    except RuntimeError as e:
        print(type(e).__name__, e, e.__cause__)
