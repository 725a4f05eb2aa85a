z = complex(3, 4)
print(z, abs(z), z.real, z.imag, z.conjugate(), -z)
print(z + 1, z * 1j, z / 2, z ** 2, (1 + 2j) * (3 - 1j), 1j ** 2)
print(complex("1+2j"), complex(" 3j "), complex(2), complex(), complex("-1.5-0j"))
print(repr(1j), repr(-0j), repr(complex(0, -0.0)), repr(complex(1e300, 1e-300)), 2j.__repr__())
print(z == 3 + 4j, z == (3, 4), 1 + 0j == 1)
print(format(z, ".2f"), f"{z:>20}", format(1j, ""))
try:
    z < z
except TypeError as e:
    print(e)
try:
    complex("1+")
except ValueError as e:
    print(e)
try:
    1 / 0j
except ZeroDivisionError as e:
    print(e)
print(hash(1 + 0j) == hash(1), hash(2j))
