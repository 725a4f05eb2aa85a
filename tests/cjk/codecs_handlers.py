# Custom error handlers with the CJK codecs (positions, replacements, errors).
import codecs

def h(exc):
    print("handler:", type(exc).__name__, exc.encoding, exc.start, exc.end, exc.reason)
    if isinstance(exc, UnicodeEncodeError):
        return ("[%d]" % ord(exc.object[exc.start]), exc.end)
    return ("<%s>" % exc.object[exc.start:exc.end].hex(), exc.end)
codecs.register_error("test.cjk", h)
print("a\u20acb\u4e00".encode("gb2312", "test.cjk"))
print(b"a\xff\xa1b".decode("gb2312", "test.cjk"))
print(b"a\x1b$B\x7f\x7f\x1b(Bz".decode("iso2022_jp", "test.cjk"))

codecs.register_error("test.bytes", lambda e: (b"!!", e.end))
print("a\u20acb".encode("euc_kr", "test.bytes"))
codecs.register_error("test.back", lambda e: ("", -1))
print("a\u20acbc".encode("big5", "test.back"))
codecs.register_error("test.unenc", lambda e: ("\u20ac", e.end))
codecs.register_error("test.bad", lambda e: 42)
codecs.register_error("test.far", lambda e: ("", 100))
for name in ("test.unenc", "test.bad", "test.far"):
    # through the codec objects: str.encode would wrap the error
    for f in (lambda: codecs.lookup("shift_jis").encode("a\u20ac", name),
              lambda: codecs.lookup("big5").decode(b"a\x80", name)):
        try:
            print(f())
        except Exception as e:
            print(type(e).__name__, e)
