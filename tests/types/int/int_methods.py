n = 1234567
print(n.bit_length(), (0).bit_length(), (-255).bit_length())
print(n.bit_count(), (-7).bit_count())
print(n.to_bytes(4, "big"), n.to_bytes(4, "little"), (-1).to_bytes(2, "big", signed=True))
print(int.from_bytes(b"\x01\x00", "big"), int.from_bytes(b"\xff\xff", "little", signed=True))
print((10).as_integer_ratio(), (7).conjugate(), (5).numerator, (5).denominator, (5).real, (5).imag)
print(int.__name__, (255).__index__(), (3).__neg__())
print(round(1234, -2), round(1250, -2), round(1350, -2), round(-15, -1))
try:
    (256).to_bytes(1, "big")
except OverflowError as e:
    print("OverflowError:", e)
