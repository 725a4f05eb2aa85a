print(format(3.14159, ".2f"), format(42), format("s", ">5"), format(1234, ","), format(0.5, "%"))
print(format(True, "d"), format(True), format(None), format([1], ""), format(b"x", ""))
try:
    format(None, "d")
except TypeError as e:
    print(e)
try:
    format(1, "z")
except ValueError as e:
    print(e)
try:
    format("s", "d")
except ValueError as e:
    print(e)
try:
    format(1.5, "d")
except ValueError as e:
    print(e)
try:
    format(1, ".2s")
except ValueError as e:
    print(e)
print(f"{1:{2}}", "{:{}}".format(3, "<4") + "|")
