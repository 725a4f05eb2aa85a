print(int(), int("42"), int(" -17 "), int("0x1f", 16), int("1f", 16), int("0b101", 0), int("z", 36))
print(int("1_000"), int(3.99), int(-3.99), int(True), int("0o17", 0))
print(int(b"12"), int(bytearray(b"34")))
class I:
    def __index__(self): return 7
class T:
    def __trunc__(self): return 8
class N:
    def __int__(self): return 9
print(int(N()), int(I()))
for bad in ["", "1.5", "abc", "0x", "1__0"]:
    try:
        int(bad)
    except ValueError as e:
        print("ValueError:", e)
try:
    int("12", 1)
except ValueError as e:
    print(e)
try:
    int(1.5, 10)
except TypeError as e:
    print(e)
try:
    int(float("inf"))
except OverflowError as e:
    print(e)
