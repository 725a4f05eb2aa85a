print([chr(i) for i in range(65, 70)], [ord(c) for c in "AZaz09"], ord(b"a"), ord(bytearray(b"b")))
print(hex(ord("€")), chr(0x1F600).encode("utf-8"), "€".encode("utf-16"), "x".encode("utf-32-be"))
print(int.from_bytes("€".encode(), "big"), list("€".encode()), bytes("abc", "ascii").decode("ascii"))
import codecs
print(codecs.encode("hello", "rot13"), codecs.decode(b"68656c6c6f", "hex"), "ab".encode("idna"))
