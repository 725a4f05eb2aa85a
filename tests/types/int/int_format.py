n = 255
print(bin(n), oct(n), hex(n), hex(-n), bin(0))
print(format(n, "x"), format(n, "X"), format(n, "#o"), format(n, "08b"), format(n, "+d"))
print(format(1234567, ","), format(1234567, "_"), format(255, "_x"), format(-42, "=+8d"))
print(format(42, "^9"), format(42, "<5") + "|", format(42, "*>6"))
print(format(65, "c"), format(10, "n"), format(3, "e"), format(3, ".2f"), format(12, "%"))
print(str(-0), repr(10 ** 30), f"{n:#x} {n!r:>6}")
