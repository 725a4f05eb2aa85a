print(list(enumerate("abc")), list(enumerate("ab", 5)))
print(list(zip([1, 2, 3], "ab")), list(zip()), list(zip("a", "b", "c")))
try:
    list(zip([1, 2], [1], strict=True))
except ValueError as e:
    print(e)
print(list(map(abs, [-1, 2])), list(map(pow, [2, 3], [3, 2])), list(filter(None, [0, 1, "", "a"])), list(filter(lambda x: x > 1, [1, 2, 3])))
print(list(reversed([1, 2, 3])), list(reversed((1, 2))), list(reversed(range(3))))
class R:
    def __len__(self): return 3
    def __getitem__(self, i): return i * 10
print(list(reversed(R())), list(iter(R())) if False else "skip")
e = enumerate("xy")
print(next(e), type(e).__name__, iter(e) is e)
m = map(str, [1])
print(next(m), next(m, "end"))
try:
    reversed({1, 2})
except TypeError as e:
    print(e)
