# Iteration order of str sets depends on str hashes: with PYTHONHASHSEED=0
# (as the differential harness runs) it must match CPython's.
s = set(["apple", "banana", "cherry", "date", "elderberry", "fig", "grape"])
print(list(s))
t = set()
for i in range(30):
    t.add(str(i))
print(list(t))
t.discard("5")
t.add("new")
print(list(t))
print(frozenset("abcdefghij"), set([("a", 1), ("b", 2)]))
