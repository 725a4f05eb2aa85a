f = frozenset([1, 2, 3])
print(f, len(f), 2 in f, f | {4}, type(f | {4}).__name__, type({4} | f).__name__)
print(f & frozenset([2]), f - {1}, hash(f) == hash(frozenset([3, 2, 1])), frozenset())
d = {f: "key"}
print(d[frozenset({1, 2, 3})])
s = {frozenset([1]), frozenset([1])}
print(len(s))
try:
    f.add(1)
except AttributeError as e:
    print(e)
print(f.copy() is f, frozenset(f) is f, repr(frozenset("a")))
print(sorted(frozenset("hello")))
