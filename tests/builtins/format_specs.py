# The format-spec checks shared by int, float, complex and str, and the
# types' own __format__ methods called directly.
for v in (0, 1.5, 1j, "s", True):
    for code in "dxXobnscfeEgG%":
        for sep in ",_":
            try:
                r = repr(format(v, sep + code))
            except (ValueError, TypeError) as e:
                r = "%s: %s" % (type(e).__name__, e)
            print(type(v).__name__, sep + code, r)
for v, spec in ((0.0, "f"), (1.5e300, "e"), (123456789, "d"), (255, "#x"), (1j, ">10"), ("ab", "^6"), (True, "d"), (-3, "+05")):
    print(repr(v.__format__(spec)), repr(type(v).__format__(v, spec)))
class MyInt(int):
    def __format__(self, spec):
        return "<" + super().__format__(spec) + ">"
print(format(MyInt(42), "x"), f"{MyInt(7):03d}")
try:
    object().__format__("d")
except TypeError as e:
    print(type(e).__name__, e)
