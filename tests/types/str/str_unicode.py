s = "héllo wörld €𝄞"
print(len(s), s[1], s[-1], ord(s[-1]), chr(0x1D11E), s.encode("utf-8"), len(s.encode()))
print(s.encode("utf-16-le")[:6], s.encode("ascii", "replace"), s.encode("ascii", "ignore"), s.encode("ascii", "xmlcharrefreplace"))
print(s.encode("ascii", "backslashreplace"), "é".encode("latin-1"), b"\xe9".decode("latin-1"))
try:
    s.encode("ascii")
except UnicodeEncodeError as e:
    print(e)
try:
    b"\xff\xfe".decode("utf-8")
except UnicodeDecodeError as e:
    print(e)
print(b"\xff".decode("utf-8", "replace"), b"a\xffb".decode("utf-8", "surrogateescape").encode("utf-8", "surrogateescape"))
print(ascii(s), repr("\ud800"), "\u0041\u030a" == "\u00c5")
print(sorted(["b", "A", "é", "a", "Z"]), max("hello"), min("hello"))
