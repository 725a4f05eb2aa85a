# ord() of a one-byte bytes or bytearray gives the byte; other lengths fail.
print(ord(b'a'), ord(bytearray(b'z')), ord(b'\xff'), ord('\u20ac'))
for x in [b'', b'ab', bytearray(b'ab'), '', 'ab', 3, memoryview(b'a')]:
    try:
        print(ord(x))
    except TypeError as e:
        print(type(e).__name__, e)
