b = b"hello world"
print(b[0], b[-1], b[1:4], b[::-1], len(b), b"o" in b, 111 in b)
print(b.upper(), b.title(), b.split(), b.replace(b"o", b"0"), b.find(b"wor"), b.count(b"l"))
print(bytes(3), bytes([65, 66]), bytes("é", "utf-8"), bytes(range(5)), bytes.fromhex("de ad be ef"))
print(b.hex(), b"\x00\xff".hex(":"), b.decode(), b.startswith(b"he"), b.strip(b"hd"), b"a,b".split(b","))
print(b"%d-%s" % (1, b"x"), b"ab" + b"cd", b"ab" * 2, b"-".join([b"a", b"b"]), b.isalpha(), b"12".isdigit())
print(repr(b"\x00\t\n\r'\"\\\x7f\x80"), list(b"AB"), bytes(b"copy"), b.center(15, b"*"))
try:
    b[0] = 1
except TypeError as e:
    print(e)
try:
    bytes([256])
except ValueError as e:
    print(e)
try:
    b"a" + "b"
except TypeError as e:
    print(e)
print(b"abc" < b"abd", b"a" == "a", hash(b"abc") == hash(b"abc"))
