# Iteration order depends on hashes; with PYTHONHASHSEED=0 it must match CPython.
s = {"apple", "banana", "cherry", "date", "elderberry", "fig", "grape"}
print(list(s))
print(list({b"x", b"yy", b"zzz", b"w"}))
print(list({1.5, 2.5, -3.25, 100, 7, 2 ** 40}))
print(list({(1, 2), (3, 4), ("a", "b"), None}))
print(list(frozenset("abcdefghij")))
t = set()
for i in range(30):
    t.add(str(i))
print(list(t))
t.discard("5")
t.add("new")
print(list(t))
