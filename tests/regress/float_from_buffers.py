# float() of buffers other than bytes: memoryview, array; non-ASCII bytes.
import array

print(float(memoryview(b"1.5")), float(array.array("B", b"2.5")), float(bytearray(b" 3 ")), float(b"\t4e1\n"))
print(float(memoryview(b"x1.25")[1:]))
for src in (array.array("B", b"2.5x"), b"123\xa0", bytearray(b"\xa01"), b"1_0.5", b""):
    try:
        print(float(src))
    except ValueError as e:
        print("ValueError", e)
for src in (b"123\xa0", b"\xa0 12"):
    try:
        print(int(src))
    except ValueError as e:
        print("ValueError", e)
