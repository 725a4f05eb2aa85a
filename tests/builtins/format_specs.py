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
for call in (lambda: object.__format__(1, "d"), lambda: object.__format__("s", ">3"), lambda: int.__format__(255, "x"),
             lambda: float.__format__(2.5, "08.3f"), lambda: str.__format__("ab", "*^6"), lambda: complex.__format__(1j, ""),
             lambda: int.__format__(True, ""), lambda: float.__format__(1.5, 5)):
    try:
        print(repr(call()))
    except TypeError as e:
        print(type(e).__name__, e)
print(all("__format__" in t.__dict__ for t in (int, float, complex, str)), "__format__" in bool.__dict__)
print(format(1234, "010,d"), format(1.2, "011,.1f"), format(1234, "0=10,"), format(-1234, "010_d"), format(255, "#010_x"),
      format(1.2, "010,.2"), format(-1234.5, "012,.1f"), format(float("inf"), "010,"))
