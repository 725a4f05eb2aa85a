d = {}
for w in "the quick brown fox jumps over the lazy dog".split():
    d[w] = d.get(w, 0) + 1
print(d)
s = set("the quick brown fox jumps over the lazy dog".split())
print(s)
print({str(i) * 3 for i in range(20)})
print({i * 1.5 for i in range(10)})
print(frozenset({b"a", b"b", b"c", b"dd"}))
