print("%s %r %d %i %5.2f %x %X %o %e %%" % ("s", "r", 42, -3, 3.14159, 255, 255, 8, 12345.678))
print("%-5s|%5s|%05d|%+d|% d|%#x|%#o|%.3s" % ("ab", "cd", 42, 5, 5, 255, 8, "abcdef"))
print("%(name)s is %(age)d" % {"name": "Ann", "age": 30})
print("%c%c" % (65, "b"), "%s" % (1,), "%s" % [1, 2], "%a" % "é", "%*d|%-*d|" % (5, 1, 4, 2), "%.*f" % (2, 3.14159))
print("%d" % 3.9, "%s" % None, "%g %g %G" % (1e-5, 123456789, 1e20), "%10.3e|" % 0.000123)
for bad in [("%d", "x"), ("%s %s", (1,)), ("%s", (1, 2)), ("%z", 1)]:
    try:
        print(bad[0] % bad[1])
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
print(b"%s %d %x" % (b"bytes", 5, 255), b"%c" % 65, b"%r" % "x")
