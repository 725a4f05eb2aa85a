# Greedy, lazy and possessive repeats; atomic groups; long inputs.
import re

def show(m):
    print(None if m is None else (m.span(), m.groups()))

show(re.match(r"a{2,3}", "aaaa"))
show(re.match(r"a{2,3}?", "aaaa"))
show(re.match(r"a{2}", "a"))
show(re.match(r"a{,2}b", "aab"))
show(re.match(r"(ab){2,}", "abababx"))
show(re.match(r"(ab){2,}?", "abababx"))
show(re.match(r"(a|b)*?c", "ababc"))
show(re.match(r"(a+|b+)*c", "aabbabc"))
show(re.match(r"(a*)*b", "aaab"))
show(re.match(r"(a*)+b", "b"))
show(re.match(r"(a?)*?b", "aab"))
show(re.match(r"(?:(a)|b)*", "ab"))
show(re.match(r"(?:(a)|(b))*", "abab"))
show(re.match(r"(?:a|(b))+", "ba"))
show(re.match(r"(a)|b", "b"))
show(re.match(r"(x)?(?(1)a|b)", "xa"))
show(re.match(r"(x)?(?(1)a|b)", "b"))
show(re.match(r"(x)?(?(1)a|b)", "xb"))
show(re.match(r"(?P<q>x)?y(?(q)z)", "xyz"))
show(re.match(r"(?P<q>x)?y(?(q)z)", "y"))

# possessive and atomic
show(re.match(r"a++b", "aaab"))
show(re.match(r"a++a", "aaaa"))
show(re.match(r"a*+a", "aaaa"))
show(re.match(r"a?+a", "a"))
show(re.match(r"(?:ab)++a", "ababa"))
show(re.match(r"(?:ab|a)++b", "abab"))
show(re.match(r"(?:a|ab)++c", "abc"))
show(re.match(r"(?>a|ab)c", "abc"))
show(re.match(r"(?>a+)b", "aaab"))
show(re.match(r"(?>a+)a", "aaa"))
show(re.match(r"(?>(a)+)b", "aab"))
show(re.match(r"x{2,3}+x", "xxxx"))
show(re.match(r"(?:x{1,2}){2}+y", "xxxy"))
show(re.match(r"(a{1,2}?)++", "aaa"))

# lazy with tails
show(re.search(r"<.*?>", "<a><b>"))
show(re.search(r"<.*>", "<a><b>"))
show(re.search(r"a.*?b", "axxbyyb"))
show(re.search(r"a.{2,}?b", "abxbxxb"))
show(re.match(r"(.*?),(.*)", "a,b,c"))

# long inputs: no stack overflow, no pathological slowness
s = "ab" * 50000 + "c"
show(re.match(r"(a|b)*c", s))
show(re.match(r"(?:a|b)*?c", s))
show(re.match(r"(ab)*c", s))
show(re.match(r"(ab)*?c", s))
print(len(re.findall(r"a", "a" * 100000)))
print(re.match(r"(a|b)*c", "ab" * 50000) is None)
show(re.search(r"x+y", "x" * 2000 + "z"))
print(len(re.sub(r"(\w)", r"<\1>", "abc" * 10000)))
print(re.match(r"(?:(?:a)*)*b", "a" * 20 + "b").span())
t = "a" * 100000
print(re.fullmatch(r"(a)+", t).span(1), re.fullmatch(r"(a)+?", t).span(1))
print(re.fullmatch(r"(?:a(?=a)|a)*", t).end())
