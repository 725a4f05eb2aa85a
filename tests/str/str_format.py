# str.format and str.format_map.
print("{} {} {}".format(1, "two", 3.0), "{0} {1} {0}".format("a", "b"), "{x} {y}".format(x=1, y=2), "{0}{x}".format(5, x=6))
print("{{literal}} {{{0}}} }}{{".format(7), "{!r} {!s} {!a}".format("é", "é", "é"), "{0!r:>10}|".format("ab"))
print("{:>8}|{:<8}|{:^8}|{:*^9}|".format("ab", "cd", "ef", "gh"), "{:08.3f} {:+d} {:,} {:_x} {:#b} {:e}".format(3.14159, 5, 1234567, 0xFFFFFF, 5, 1234.5))
print("{:{w}.{p}f}|{:{}}|{:>{}}|".format(3.14159, "x", 5, "y", 4, w=10, p=2))
print("{0[0]} {0[1]} {1[key]} {1[key][1]} {2.real} {2.imag}".format([10, 20], {"key": "val"}, 3 + 4j) if False else "{0[0]} {0[1]} {1[key]} {1[key][1]}".format([10, 20], {"key": "val"}))
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def __format__(self, spec):
        return "P<" + spec + ">"
p = Point(1, 2)
print("{0.x},{0.y} {p.x} {0} {0:abc}".format(p, p=p))
print("{[2]}".format("hello"), "{0[-1]}".format({"-1": "neg"}), "{:d}".format(True), "{}".format(None), "{:5}|".format(None) if False else "")
print("{:}".format(42), "{:10}|{:<10}|".format(42, 4.5), "{:^10.3}|".format("abcdef"), "{0:{1}}".format(3, "05"))
print("{:%}".format(0.25), "{:.1%}".format(0.125), "{:g}".format(1e20), "{:n}".format(1000), "{:c}".format(97), "{:o}".format(8))
print("{a}{b}".format_map({"a": 1, "b": 2}))
class Default:
    def __getitem__(self, key):
        if key == "name":
            return "Bob"
        return "<" + key + ">"
print("{name} is {age}".format_map(Default()))
print("é{}ü{}".format("à", "😀"), "{:é^7}".format("x"), "{0:>{1}}".format("z", 3))
cases = [
    ("}", lambda f: f.format()),
    ("{", lambda f: f.format()),
    ("a}b", lambda f: f.format()),
    ("{0", lambda f: f.format(1)),
    ("{}{0}", lambda f: f.format(1, 2)),
    ("{0}{}", lambda f: f.format(1, 2)),
    ("{1}", lambda f: f.format(1)),
    ("{}{}", lambda f: f.format(1)),
    ("{x}", lambda f: f.format()),
    ("{0!x}", lambda f: f.format(1)),
    ("{0!}", lambda f: f.format(1)),
    ("{0!rr}", lambda f: f.format(1)),
    ("{0.}", lambda f: f.format(1)),
    ("{0[}", lambda f: f.format(1)),
    ("{0[0]x}", lambda f: f.format([1])),
    ("{0.nope}", lambda f: f.format(1)),
    ("{0[5]}", lambda f: f.format([1])),
    ("{:{:{}}}", lambda f: f.format(1, 2, 3)),
    ("{:x}", lambda f: f.format("s")),
    ("{:d}", lambda f: f.format(1.5)),
    ("{a{b}", lambda f: f.format()),
    ("{0:{1}", lambda f: f.format(1, 2)),
    ("{!r", lambda f: f.format(1)),
    ("{0:.}", lambda f: f.format(1.5)),
    ("{:,d}", lambda f: f.format("x")),
]
for fmt, call in cases:
    try:
        print(repr(call(fmt)))
    except Exception as e:
        print(repr(fmt), "->", type(e).__name__, e)

try:
    "{}".format_map({})
except Exception as e:
    print(type(e).__name__, e)
try:
    "{x}".format_map({})
except Exception as e:
    print(type(e).__name__, e)
print(ascii("é\n😀\x00ā"), ascii([1, "ü"]), ascii("plain"), ascii(5))
