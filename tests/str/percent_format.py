# printf-style formatting: str % args.
print("%s %d %-5.2f| %r %x %o %e %g %c %%" % ("s", 42, 3.14159, "r", 255, 8, 12345.678, 0.0001, 65))
print("%5s|%-5s|%.2s|%5.1s|" % ("ab", "ab", "abcdef", "xyz"))
print("%d %i %u %d %d" % (-7, True, 3, 3.99, -3.99), "%+d % d %+d" % (5, 5, -5), "%05d|%-5d|%5d" % (-42, 42, 42))
print("%.3d|%5.3d|%-6.3d|%06.3d" % (7, 7, -7, 7))
print("%x %X %o %#x %#X %#o %x %#08x %-#8x|" % (255, 255, 8, 255, 255, 8, -255, 255, 255))
print("%x" % 2**70, "%d" % -2**70, "%o" % 2**65)
print("%f %.2f %10.3f| %-10.1f| %+.1f % .1f %010.2f %.0f %#.0f" % (1.5, 2.675, 3.14159, 2.5, 1.0, 1.0, -3.14159, 2.5, 3.0))
print("%e %.2e %E %.0e %#.0e %10.2e|" % (0.000123, 123456.0, 1e100, 15000, 15000, -1.5))
print("%g %g %g %g %G %.3g %#g %g %g %.10g" % (0.0001, 1e-5, 123456, 1234567, 1e-10, 1234.5, 1.0, 0.0, 100.0, 1/3))
print("%f %f %f %5.1f %-6f| %F %e" % (float("inf"), float("-inf"), float("nan"), float("inf"), float("nan"), float("inf"), float("-inf")))
print("%010f|%+f" % (float("-inf"), float("inf")))
print("%c%c%c" % (72, "i", 0x1F600), "%5c|%-3c|" % ("x", "y"))
print("%*d|%-*d|%*.*f|%.*s" % (5, 1, 4, 2, 8, 2, 3.14159, 2, "abc"), "%*d|" % (-4, 7))
print("%(name)s is %(age)d years, %(name)r" % {"name": "Ann", "age": 30}, "%(a)s%%%(b)s" % {"a": 1, "b": 2})
print("%s" % [1, 2], "%s" % (1,), "%s" % ((1, 2),), "%r" % ("a",), "%s" % {"k": 1}, "x" % {}, "x" % [], "x" % ())
print("%a %r %s" % ("é\n", "é\n", "é"), "%ld %hd %Lf" % (1, 2, 3.0))
print("%(x)s %(x)s" % {"x": "twice"}, "%((a))s" % {"(a)": 5})
class P:
    def __str__(self):
        return "P-str"
    def __repr__(self):
        return "P-repr"
print("%s %r %a" % (P(), P(), P()))
class Idx:
    def __index__(self):
        return 10
print("%x %o %d" % (Idx(), Idx(), 10))
for fmt, args in [
    ("%s %s", (1,)), ("%s", (1, 2)), ("x", 1), ("%(a)s", 1), ("%(a", {}), ("%", ()), ("%*d", ("x", 1)),
    ("%z", 1), ("abc %y", 1), ("%d", "x"), ("%x", 1.5), ("%c", "ab"), ("%c", 1.5), ("%c", -1), ("%c", 0x110000),
    ("%f", "x"), ("%d", None), ("%(a)s", {}), ("%(a)s %s", {"a": 1}), ("%.*f", (2.0, 1)), ("%o", "s"), ("%i", [1]),
    ("%d", float("inf")), ("%d", float("nan")), ("%5%", ()), ("%s %s %s", ("a", "b")),
]:
    try:
        print(repr(fmt % args))
    except Exception as e:
        print(fmt, "->", type(e).__name__, e)
try:
    print(1 % "x")
except TypeError as e:
    print("TypeError", e)
