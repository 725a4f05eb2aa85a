# sub/subn/split/findall/finditer, the 3.7+ empty-match rules, templates.
import re

print(re.sub(r"x*", "-", "abxd"))
print(re.sub(r"x*", "-", ""))
print(re.subn(r"x*", "-", "abxd"))
print(re.sub(r"a|", "-", "bab"))
print(re.sub(r"(?=b)", "^", "abab"))
print(re.sub(r"\b", "|", "ab cd"))
print(re.sub(r"a", "b", "aaa", count=2))
print(re.subn(r"a", "b", "aaa", 2))
print(re.sub(r"a", "b", "aaa", -1))
print(re.sub(r"(\w+) (\w+)", r"\2 \1", "hello world, good day"))
print(re.sub(r"(?P<w>\w+)", r"<\g<w>>", "ab cd"))
print(re.sub(r"(\w)", r"\g<1>\g<0>", "abc"))
print(re.sub(r"a", r"\n\t\\", "xax"))
print(repr(re.sub(r"a", "\\n", "a")))
print(re.sub(r"(a)|b", r"[\1]", "ab"))
print(re.sub(r"\d+", lambda m: str(int(m.group()) * 2), "a1 b22 c333"))
print(re.sub(r"\d", lambda m: None if m.group() == "2" else "#", "1234"))
print(re.sub(r"a", lambda m: m.group().upper(), "banana"))
print(re.sub("", "-", "abc"))
print(re.compile(r"o").sub("0", "foo boo"))

print(re.split(r",", "a,b,,c"))
print(re.split(r"(,)", "a,b,,c"))
print(re.split(r"(,)|(;)", "a,b;c"))
print(re.split(r",", "a,b,c", maxsplit=1))
print(re.split(r"x*", "axbc"))
print(re.split(r"\b", "a b"))
print(re.split(r"(?=b)", "abab"))
print(re.split(r"", "abc"))
print(re.split(r"\s+", " a b "))
print(re.split(r"(\s)+", "a  b"))
print(re.split(r",", "a,b", -1))

print(re.findall(r"\w+", "a bc, def"))
print(re.findall(r"(\w)(\d)?", "a1 b c3"))
print(re.findall(r"(\w)\d", "a1 b2"))
print(re.findall(r"x*", "axxb"))
print(re.findall(r"", "ab"))
print(re.findall(r"\b", "ab cd"))
print(re.findall(r"a|(b)", "ab"))
print(re.compile(r"\d").findall("1a2b3", 1, 4))
print([m.span() for m in re.finditer(r"x*", "axxb")])
print([m.group() for m in re.finditer(r"\w+", "a bc def")])
print([m.span() for m in re.compile(r"\w").finditer("abcdef", 2, 4)])
it = re.finditer(r"\d", "1a2")
print(type(it).__name__, next(it).group(), next(it).group(), next(it, None))

# Match.expand
m = re.match(r"(?P<a>\w)(\w)?", "x")
print(repr(m.expand(r"[\1][\g<a>][\2]")))
print(re.match(r"(a)(b)", "ab").expand(r"\2\1\g<0>"))

# Scanner objects and re.Scanner
sc = re.compile(r"\d").scanner("1a23")
print(sc.pattern.pattern, sc.match().group(), sc.match(), sc.match())
sc = re.compile(r"\d").scanner("1a23")
print(sc.search().span(), sc.search().span(), sc.search().span(), sc.search(), sc.search())
sc = re.compile(r"x*").scanner("axb")
print([sc.search().span() for _ in range(4)], sc.search())
scanner = re.Scanner([
    (r"[a-z]+", lambda s, t: ("word", t)),
    (r"\d+", lambda s, t: ("num", int(t))),
    (r"\s+", None),
])
print(scanner.scan("abc 12 de 7!"))
