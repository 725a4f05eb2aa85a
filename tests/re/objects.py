# Pattern/Match objects: repr, equality, hash, copy, attributes, errors.
import re
import _sre

print(_sre.MAGIC, _sre.CODESIZE, _sre.MAXREPEAT, _sre.MAXGROUPS, _sre.getcodesize())
print(_sre.ascii_iscased(ord("a")), _sre.ascii_iscased(ord("1")), _sre.ascii_iscased(ord("é")))
print(_sre.unicode_iscased(ord("é")), _sre.unicode_iscased(ord("1")), _sre.unicode_iscased(0x1C5))
print(_sre.ascii_tolower(ord("A")), _sre.ascii_tolower(ord("É")), _sre.unicode_tolower(ord("É")), _sre.unicode_tolower(0x130))

print(re.compile(r"a+"))
print(re.compile(r"a+", re.I | re.M))
print(re.compile(r"a+", re.S | re.X | re.A))
print(re.compile(rb"a+", re.I | re.L))
print(re.compile(r"a", re.U), re.compile(r"a", re.I | re.U))
print(re.compile(r"x" * 300))
print(re.compile("'\"\n"))
print(re.compile(r"a", 1 << 20))
print(re.match(r"a+", "aaa"))
print(re.match(r"y*", "y" * 100))
print(re.match(rb"\w+", b"bytes"))
print(re.match(r"", "x"))
print(re.match(r".", "\n", re.S))

p = re.compile(r"(?P<a>x)(y)")
print(p.pattern, p.flags, p.groups, p.groupindex, type(p.groupindex).__name__)
print(re.compile("x").groupindex, type(re.compile("x").groupindex).__name__)
print(re.compile(rb"x").flags, re.compile("x").flags, re.compile("(?i)x").flags)
print(p == re.compile(r"(?P<a>x)(y)"), p != re.compile(r"(?P<a>x)(y)"), p == re.compile(r"(?P<a>x)(y)", re.I))
print(re.compile("a") == re.compile(b"a"), p == 1, hash(p) == hash(re.compile(r"(?P<a>x)(y)")))
print(p.__copy__() is p, p.__deepcopy__({}) is p)
m = p.match("xy")
print(m.__copy__() is m, m.__deepcopy__({}) is m, m.re is p)
print(type(p).__name__, type(m).__name__, type(p).__module__, type(m).__module__, re.Pattern is type(p), re.Match is type(m))
for f in (lambda: re.Pattern(), lambda: re.Match()):
    try:
        f()
    except TypeError as e:
        print(type(e).__name__, e)

# argument errors
for f in (
    lambda: p.match(1),
    lambda: p.match(b"xy"),
    lambda: re.compile(b"a").match("a"),
    lambda: p.match("a", "x"),
    lambda: p.match(),
    lambda: p.search("a", 10**30),
    lambda: p.match("a", pos=1.0),
    lambda: re.sub("a", lambda m: 1, "xa"),
    lambda: re.sub(b"a", lambda m: 1, b"xa"),
    lambda: re.sub("a", b"x", "a"),
    lambda: re.sub("(a)", r"\2", "a"),
    lambda: re.sub("a", "x", "a", count="1"),
    lambda: re.split("a", 3),
    lambda: re.findall("a", None),
    lambda: p.scanner(),
    lambda: _sre.compile("a", 0, [1, 2**40], 0, {}, ()),
):
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)

# re.error from the parser
for pat in ["(", ")", "a**", "[a-", "(?P<1>a)", r"\1", "(?<=a+)b", "a{2,1}", "(?z)", "[z-a]", r"\p", "x(?i)"]:
    try:
        re.compile(pat)
        print("compiled", pat)
    except re.error as e:
        print(type(e).__name__, e, e.pos)

print(re.escape("a.b*c"), re.escape(b"a+b"))
print(re.purge())
