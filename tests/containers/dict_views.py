def t(f):
    try:
        r = f()
        print("ok", r)
    except Exception as e:
        print(type(e).__name__, e)

d = {"a": 1, "b": 2, "c": 3}
k, v, i = d.keys(), d.values(), d.items()
d["d"] = 4
print(k, v, i, len(k), len(v), len(i))
print(sorted(k & set(["a", "z"])), sorted(k | set(["z"])), sorted(k - set(["a"])), sorted(k ^ set(["a", "q"])))
print(("a", 1) in i, ("a", 2) in i, "a" in i, 4 in v, 5 in v, "a" in k, "z" not in k)
print(k == set(["a", "b", "c", "d"]), i == set([("a", 1), ("b", 2), ("c", 3), ("d", 4)]), k != set(), k.isdisjoint(["x"]), k.isdisjoint(["a"]))
print(k < set(["a", "b", "c", "d", "e"]), k <= set(["a"]), k > set(["a"]), k >= k, k == d.keys(), v == v, v == d.values())
print(sorted(set(["a", "z"]) - k), sorted(set(["z"]) | k), sorted(set(["a", "x"]) & k), sorted(["b", "y"] & k) if False else "skip")
print(sorted(i & set([("a", 1), ("b", 0)])), sorted(i - set([("a", 1)]))[:2], sorted(k & ["a", "b", "nope"]), sorted(k | ["e"]))
print(list(k.__reversed__()), list(i.__reversed__()), list(v.__reversed__()), list(d.__reversed__()))
print(k.mapping, type(k.mapping).__name__, k.mapping["a"], len(i.mapping), v.mapping == d)
print(type(k).__name__, type(v).__name__, type(i).__name__, type(iter(k)).__name__, type(iter(v)).__name__, type(iter(i)).__name__)
print(type(d.__reversed__()).__name__, type(v.__reversed__()).__name__, type(i.__reversed__()).__name__)
t(lambda: hash(k))
t(lambda: k | 1)
t(lambda: v | set())
t(lambda: v & v)
it = iter(d)
print(it.__length_hint__(), next(it), it.__length_hint__())
# mutation during iteration
try:
    for key in d:
        d["new"] = 1
except RuntimeError as e:
    print(e)
print(d)
x = {1: 1}
try:
    for key in x:
        del x[key]
        x[key + 1] = 1
except RuntimeError as e:
    print(e)
y = {1: 1, 2: 2}
it = iter(y)
next(it)
y[3] = 3
t(lambda: next(it))
t(lambda: next(it))
del y[3]
t(lambda: next(it))
z = {1: 1, 2: 2}
for key in z:
    z[key] = "changed"
print(z)
vi = iter(z.values())
z.pop(1)
t(lambda: next(vi))
ri = z.__reversed__()
z["q"] = 0
t(lambda: next(ri))
empty = {}
print(list(empty.keys()), list(empty.items()), repr(empty.values()), list(empty.__reversed__()))
# views stay live
w = {}
wk = w.keys()
w["late"] = 1
print(wk, "late" in wk, len(wk))
# mappingproxy
mp = k.mapping
t(lambda: mp["zz"])
print(mp.get("a"), mp.get("zz", "dflt"), "a" in mp, list(mp.keys()), list(mp.values())[:2], mp.copy() == d)
def f(): mp["a"] = 2
t(f)
# self-referencing views
s = {}
s["k"] = s.keys()
print(s)
