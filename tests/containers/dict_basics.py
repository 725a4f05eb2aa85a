def t(f):
    try:
        r = f()
        print("ok", r)
    except Exception as e:
        print(type(e).__name__, e)

d = {"a": 1, "b": 2}
d["c"] = 3
print(d, len(d), d["a"], d.get("z"), d.get("z", 0), "a" in d, 1 in d, "a" not in d)
print(d.setdefault("a", 9), d.setdefault("d", 4), d)
print(d.pop("d"), d.pop("zz", "dflt"), d.popitem(), d)
d.update({"x": 10}, y=11)
d.update([("z", 12)])
d.update(w=0)
print(d, list(d.keys()), list(d.values()), list(d.items()))
print(dict.fromkeys("ab"), dict.fromkeys([1, 2], 0), dict(a=1), dict([(1, 2)]), dict({1: 2}, b=3), dict())
e = d.copy()
e.clear()
print(e, d == d.copy(), {1: 2} == {1: 2.0}, {1: 1, 2: 2} == {2: 2, 1: 1}, {1: 1} != {1: 2}, {} == [])
t(lambda: d["missing"])
t(lambda: {}.popitem())
t(lambda: {[]: 1})
t(lambda: d.get())
t(lambda: d.pop())
t(lambda: dict(1))
t(lambda: dict([1]))
t(lambda: dict([(1, 2, 3)]))
t(lambda: dict({}, {}))
t(lambda: {}.update(1))
t(lambda: {}.update({}, {}))
t(lambda: {}.popitem(1))
t(lambda: hash({}))
t(lambda: {} < {})
t(lambda: {1: 2} | [1])
t(lambda: dict.fromkeys())
del d["a"]
print(d, repr({}), {1: {2: {}}}, str({"k": "v"}))
t(lambda: d.__delitem__("a"))
# ordering after deletes and re-insertion
d = {}
for key in ["z", "a", "m", 3, 1, 2]:
    d[key] = str(key)
print(list(d))
del d["a"]
d["a"] = "again"
print(list(d), d)
big = {i: i * i for i in range(1000)}
for i in range(0, 1000, 2):
    del big[i]
print(len(big), list(big)[:5], sum(big.values()))
for i in range(1000, 1100):
    big[i] = 0
print(len(big), list(big)[-3:], list(big)[:3])
# equal keys of different types
d = {1: "int", True: "bool"}
print(d, len(d))
nan = float("nan")
e = {nan: 1}
print(e[nan], nan in e, float("nan") in e)
class K:
    def __init__(self, v): self.v = v
    def __hash__(self): return 1
    def __eq__(self, o): return self.v == o.v
    def __repr__(self): return f"K({self.v})"
c = {K(1): "a", K(2): "b", K(1): "c"}
print(c, c[K(2)])
# recursion in repr
r = {}
r["self"] = r
print(r)
l = [r]
print(l)
# dict | and |=
a = {"a": 1, "b": 2}
print(a | {"b": 3, "c": 4}, {"z": 0} | a)
a |= {"x": 9}
a |= [("y", 8)]
print(a)
t(lambda: a.__ior__(1))
print(dict(a=1, b=2) == {"b": 2, "a": 1})
x = dict([("k", 1), ["j", 2], "ab"])
print(x)
print(dict(zip_pairs) if False else "skip")
# popitem is LIFO
p = {1: 1, 2: 2, 3: 3}
print(p.popitem(), p.popitem(), p)
p[4] = 4
print(p, p.popitem())
# key comparison that mutates the dict does not crash
class Evil:
    def __init__(self, h): self.h = h
    def __hash__(self): return self.h
    def __eq__(self, other):
        victim.clear()
        return False
victim = {}
victim[Evil(5)] = 1
victim[Evil(5)] = 2
print(len(victim))
# popitem/insert cycles keep the table healthy (lookups of absent keys end)
cyc = {"a": 1, "b": 2}
for i in range(2000):
    cyc[i] = i
    cyc.popitem()
print(cyc, 12345 in cyc, "zz" in cyc, len(cyc))
