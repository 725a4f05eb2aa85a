s = "the quick brown fox jumps over the lazy dog"
print(s.find("the"), s.find("the", 1), s.rfind("the"), s.find("cat"), s.index("fox"), s.rindex("o"))
print(s.count("o"), s.count("the", 5), s.count(""), "".count(""))
print(s.startswith("the"), s.startswith(("a", "t")), s.endswith("dog", 0, -1), s.endswith("do", 0, -1))
try:
    s.index("cat")
except ValueError as e:
    print(e)
print("abc".find("", 10), "abc".find("", 3), "aaaa".replace("a", "b", 2), "abc".replace("", "-"))
print("a,b,,c".split(","), "a b  c ".split(), "a,b,c".split(",", 1), "a,b,c".rsplit(",", 1), " x ".split(" "))
print("l1\nl2\r\nl3\rl4".splitlines(), "a\nb\n".splitlines(True), "".split(","), "".split())
print("k=v=w".partition("="), "k=v=w".rpartition("="), "kvw".partition("="), "kvw".rpartition("="))
