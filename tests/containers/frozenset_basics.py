def t(f):
    try:
        r = f()
        print("ok", r)
    except Exception as e:
        print(type(e).__name__, e)

f = frozenset([1, 2, 3])
print(f, len(f), 2 in f, f | set([4]), type(f | set([4])).__name__, type(set([4]) | f).__name__)
print(f & frozenset([2]), f - set([1]), f ^ set([3, 9]), hash(f) == hash(frozenset([3, 2, 1])), frozenset())
print(hash(frozenset()), hash(frozenset([1, 2, 3])), hash(frozenset([-1])), hash(frozenset(range(100))))
print(hash(frozenset([frozenset([1]), frozenset([2])])), hash(frozenset([(1, 2), (3, 4)])))
d = {f: "key"}
print(d[frozenset([3, 1, 2])], d[frozenset(set([1, 2, 3]))])
s = set([frozenset([1]), frozenset([1])])
print(len(s))
t(lambda: f.add(1))
t(lambda: frozenset(a=1))
t(lambda: frozenset(1))
t(lambda: frozenset([[1]]))
print(f.copy() is f, frozenset(f) is f, repr(frozenset("a")), f.union() is f, f.union([1]) == f)
print(sorted(frozenset("hello")), f.issubset(range(5)), f.issuperset([1]), f.isdisjoint([7]), f.intersection([2, 3, 4]))
print(f.difference([1], [2]), f.symmetric_difference([1, 5]), f == set([1, 2, 3]), f < frozenset([1, 2, 3, 4]))
class FS(frozenset):
    pass
g = FS([1, 2])
print(g, type(g).__name__, type(g | f).__name__, type(g.copy()).__name__, FS(), hash(g) == hash(frozenset([1, 2])), FS(g) is g)
print(frozenset([1, 2]) == FS([2, 1]), set([g]), frozenset.__name__)
r = set()
print(r.__class__.__name__, repr(set([frozenset()])), frozenset([frozenset([frozenset()])]))
