# _multibytecodec's incremental encoders/decoders and stream reader/writer.
import codecs, io

dec = codecs.getincrementaldecoder("shift_jis")()
out = []
for byte in "日本語abc".encode("shift_jis"):
    out.append(dec.decode(bytes([byte])))
    print(repr(out[-1]), dec.getstate())
print("".join(out))
dec = codecs.getincrementaldecoder("euc_jp")()
print(repr(dec.decode(b"\xa4")), dec.getstate())
dec.setstate((b"", 0)); print(dec.getstate())
dec.setstate((b"\xa4", 0)); print(repr(dec.decode(b"\xa2")))
try:
    dec.decode(b"\xa4", True)
except UnicodeDecodeError as e:
    print(type(e).__name__, e, dec.getstate())
dec.reset(); print(dec.getstate())
for bad in ([], (1, 2), (b"x" * 9, 0), (b"", -1), (b"", 1 << 64)):
    try:
        dec.setstate(bad)
    except Exception as e:
        print(type(e).__name__, e)

d = codecs.getincrementaldecoder("iso2022_jp")()
print(repr(d.decode(b"\x1b$B\x30")), d.getstate())
print(repr(d.decode(b"\x21\x1b(Bx")), d.getstate())
d = codecs.getincrementaldecoder("iso2022_jp")("replace")
print(repr(d.decode(b"\x1b$B\x30", final=True)), d.errors)

enc = codecs.getincrementalencoder("euc_jis_2004")()
print(enc.encode("\u304b"), enc.getstate())
print(enc.encode("\u309a"), enc.getstate())
print(enc.encode("\u304b"), enc.encode("", final=True), enc.getstate())
enc.setstate(enc.getstate()); enc.reset(); print(enc.getstate())
e2 = codecs.getincrementalencoder("iso2022_jp")()
print(e2.getstate(), e2.encode("\u3042"), e2.getstate(), e2.encode("a"), e2.getstate())
print(e2.encode("\u3042"), e2.encode("", True), e2.getstate())
e3 = codecs.getincrementalencoder("iso2022_kr")("ignore")
print(e3.encode("\u20ac\ud55c"), e3.encode("a", True), e3.errors)
e3.errors = "replace"; print(e3.errors, e3.encode("\u20ac", True))
try:
    e3.errors = 1
except TypeError as e:
    print(type(e).__name__, e)

s = io.BytesIO("日本語\nかな\n".encode("euc_jp"))
r = codecs.getreader("euc_jp")(s)
print(repr(r.read(1)), repr(r.readline()), r.readlines())
s = io.BytesIO()
w = codecs.getwriter("iso2022_jp")(s)
w.write("日本"); w.writelines(["a", "本"]); w.reset()
print(s.getvalue(), w.stream is s)
s = io.BytesIO()
w = codecs.getwriter("big5hkscs")(s)
w.write("\u00ca"); print(s.getvalue()); w.write("\u0304"); print(s.getvalue())
print(codecs.lookup("sjis").name, codecs.lookup("csbig5").name, codecs.lookup("ms936").name)

import _multibytecodec, _codecs_jp
c = _codecs_jp.getcodec("cp932")
print(type(c).__name__, c.encode("\u3042"), c.decode(b"\x82\xa0", "strict"))
for f in (lambda: _codecs_jp.getcodec("gbk"), lambda: _codecs_jp.getcodec(1), lambda: type(c)(),
          lambda: _multibytecodec.MultibyteIncrementalEncoder()):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)
