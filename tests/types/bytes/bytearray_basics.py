ba = bytearray(b"hello")
ba[0] = 72
ba.append(33)
ba.extend(b" ok")
print(ba, len(ba), ba.pop(), ba)
ba[1:3] = b"EEEE"
print(ba)
del ba[0:2]
print(ba)
ba.insert(0, 0x41)
ba.remove(ord("E"))
print(ba, ba.find(b"l"), ba.upper(), bytes(ba))
ba.reverse()
print(ba)
print(bytearray(3), bytearray([1, 2]), bytearray("x", "ascii"), bytearray.fromhex("4142"))
ba2 = bytearray(b"abc")
ba2 += b"def"
ba2 *= 2
print(ba2, ba2 == b"abcdefabcdef", ba2.decode())
try:
    ba2[0] = 300
except ValueError as e:
    print(e)
ba2.clear()
print(ba2, repr(bytearray(b"'")))
try:
    hash(bytearray())
except TypeError as e:
    print(e)
