for base in [2, 8, 10, 16, 36]:
    print(base, int("101", base), int("-zz", 36) if base == 36 else "")
print(str(10 ** 50), repr(-10 ** 50), int(str(7 ** 77)) == 7 ** 77)
print(int("  +42\n"), int("٣"), int("1" * 100) % 97)
print(format(10 ** 25, "_d"), format(-(10 ** 25), "_x"), f"{2 ** 64:e}")
