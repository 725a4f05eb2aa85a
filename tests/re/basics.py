# Pattern.match/search/fullmatch, groups, spans, flags, pos/endpos.
import re

def show(m):
    if m is None:
        print(None)
    else:
        print(repr(m), m.span(), m.groups(), m.lastindex, m.lastgroup)

show(re.match(r"a+", "aaab"))
show(re.match(r"a+", "baaa"))
show(re.search(r"a+", "baaa"))
show(re.fullmatch(r"a+", "aaa"))
show(re.fullmatch(r"a+", "aaab"))
show(re.fullmatch(r"a*?", "aaa"))
show(re.fullmatch(r"(a|ab)(c|bcd)(d*)", "abcd"))
show(re.match(r"(a)(b)?(c)", "ac"))
show(re.search(r"(?P<first>\w+) (?P<last>\w+)", "Jane Doe!"))
m = re.search(r"(?P<first>\w+) (?P<last>\w+)", "Jane Doe!")
print(m.group("first"), m["last"], m[0], m.group(1, 2, "first"), m.groupdict())
print(m.start(), m.end(), m.start("last"), m.end(2), m.span("first"), m.regs)
print(m.string, m.re, m.pos, m.endpos)

# pos and endpos
p = re.compile(r"\d+")
show(p.match("ab12cd", 2))
show(p.match("ab12cd", 2, 3))
show(p.search("12ab34", 1))
show(p.search("12ab34", 1, 5))
show(p.search("12ab34", -5, 100))
show(p.match("abc", 5))
show(re.compile("").match("abc", 2, 1))
print(re.compile("^a").match("ba", 1), re.compile("a$").search("ab", 0, 1))
print(re.compile(r"(?<=a)b").search("ab", 1))
m = re.compile(r"\w").search("xyz", 1, 2)
print(m.pos, m.endpos, m.span())

# flags
show(re.match(r"abc", "ABC", re.I))
show(re.search(r"^b", "a\nb", re.M))
show(re.search(r"a$", "a\nb", re.M))
show(re.search(r"a.b", "a\nb"))
show(re.search(r"a.b", "a\nb", re.S))
show(re.match(r"a b # comment\n c", "abc", re.X))
show(re.match(r"\w+", "héllo"))
show(re.match(r"\w+", "héllo", re.A))
show(re.match(r"(?i)straße", "STRASSE"))
show(re.match(r"(?i:a)b", "Ab"))
show(re.match(r"(?i:a)b", "AB"))
show(re.match(r"(?-i:a)b", "aB", re.I))
show(re.search(r"\d", "x٣"))
show(re.search(r"\d", "x٣", re.A))
show(re.search(r"\s+", "a\u2003\u00a0b"))
show(re.search(r"\s+", "a\u2003\u00a0b", re.ASCII))

# anchors and boundaries
print(re.findall(r"\bfoo\b", "foo foobar afoo foo."))
print(re.findall(r"\Bo\B", "foo boo o"))
print(re.findall(r"^\w", "ab\ncd\nef", re.M))
print(re.findall(r"\w$", "ab\ncd\nef", re.M))
print(re.findall(r"\w\Z", "ab\ncd\nef\n"))
print(re.findall(r"\w$", "ab\ncd\nef\n"))
print(re.findall(r"\Aab", "ab\nab"))
print(re.search(r"\b", ""), re.search(r"\B", ""), re.search(r"\B", "a"))
print(re.findall(r"\b\w", "é-ü x", re.A), re.findall(r"\b\w", "é-ü x"))
