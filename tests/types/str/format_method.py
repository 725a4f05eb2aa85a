print("{} {} {}".format(1, "a", [2]))
print("{0} {1} {0}".format("x", "y"), "{name}={val:>4}".format(name="k", val=7))
print("{0[1]} {0[k]} {1.real}".format({1: "one", "k": "kay"}, 3 + 4j))
print("{!r} {!s} {!a}".format("é", "é", "é"), "{{literal}}".format())
print("{:*^11}".format("mid"), "{:,}".format(10 ** 10), "{:.2%}".format(0.1234), "{:#b}".format(5))
print("{0:{1}}|".format("w", 4), "{:{}.{}f}".format(3.14159, 8, 3))
class P:
    def __format__(self, spec): return "P<" + spec + ">"
print("{:hello}".format(P()), format(P(), "x"), f"{P():abc}")
print("{a}{b}".format_map({"a": 1, "b": 2}))
for bad in ["{", "}", "{0}{}", "{:d}"]:
    try:
        print(bad.format(1.5))
    except (ValueError, IndexError) as e:
        print(type(e).__name__, e)
try:
    "{x}".format()
except KeyError as e:
    print("KeyError", e)
