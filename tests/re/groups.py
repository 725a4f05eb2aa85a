# Backreferences, lookarounds, named groups, Match API details and errors.
import re

def show(m):
    print(None if m is None else (m.span(), m.groups()))

show(re.match(r"(a)\1", "aa"))
show(re.match(r"(a)\1", "ab"))
show(re.match(r"(?P<x>a+)-(?P=x)", "aa-aa"))
show(re.match(r"(?P<x>a+)-(?P=x)", "aa-a"))
show(re.match(r"(?i)(a)\1", "aA"))
show(re.match(r"(?i)(ſ)\1", "ſS"))
show(re.match(r"(?ia)(k)\1", "kK"))
show(re.match(r"(a)|\1", "x"))
show(re.match(r"(?:(a)|b)\1", "b"))
show(re.search(r"(\w)\1", "abccd"))
show(re.match(r"(a*)\1$", "aaaa"))

show(re.search(r"foo(?=bar)", "foobaz foobar"))
show(re.search(r"foo(?!bar)", "foobar foobaz"))
show(re.search(r"(?<=ab)c", "abc"))
show(re.search(r"(?<!ab)c", "abc xbc"))
show(re.search(r"(?<=(a))b", "ab"))
show(re.search(r"(?<=\d{3})x", "12x 123x"))
show(re.search(r"(?<=a|b)c", "bc"))
show(re.match(r"(?=(a+))a*b\1", "baaabac"))
show(re.search(r"(?=(a+))a*b\1", "baaabac"))
show(re.search(r"(?!(a))b", "b"))
show(re.match(r"(?:(?=(a))a)*", "aa"))
show(re.match(r"(?!a)", ""))

m = re.match(r"(?P<a>x)(?P<b>y)?(z)?", "x")
print(m.groupdict(), m.groupdict("-"), m.groups(), m.groups(0), m.groups(default="d"))
print(m.group(0), m.group("a"), m.group("b"), m.span("b"), m.start(3), m.end(3))
print(m.lastindex, m.lastgroup, m.regs)
m = re.match(r"(a)(?P<n>b)(c)", "abc")
print(m.lastindex, m.lastgroup)
m = re.match(r"(?P<n>a)(b)", "ab")
print(m.lastindex, m.lastgroup)
m = re.match(r"((a)b)", "ab")
print(m.lastindex, m.groups())
m = re.match(r"(a)(b)?", "a")
print(m.lastindex, m.lastgroup)
print(re.match("a", "a").lastindex, re.match("a", "a").groupdict())
print(m[True], m[False])

m = re.match(r"(a)(?P<n>b)", "ab")
for key in (3, -1, "x", [1], 1.5, "n", 2**70):
    try:
        print(m.group(key))
    except Exception as e:
        print(type(e).__name__, e)
for call in (lambda: m.group(n=1), lambda: m.start(1, 2), lambda: m.groups(1, 2), lambda: m.span(-1),
             lambda: m.groupdict(1, 2), lambda: re.match("a", "a").group("x"), lambda: m.expand()):
    try:
        print(call())
    except Exception as e:
        print(type(e).__name__, e)

# Nested and repeated groups
show(re.match(r"((a)|(b))+", "ab"))
show(re.match(r"(a(b)?)+", "aba"))
show(re.match(r"(?:(a)|(b)|(c))+", "cba"))
show(re.match(r"((\w)\s*)+", "a b c"))
show(re.match(r"(a|ab)(c|bcd)(d*)", "abcd"))
show(re.match(r"^(?:(\d+)\.)?(\d+)$", "12"))
show(re.match(r"(?:x(y)?)*", "xyx"))
show(re.match(r"(?:x(y)?)+?z", "xyxz"))
show(re.match(r"(?:(a)b|ac)+", "abac"))
show(re.match(r"(?:(a)+?b)+", "aabab"))
