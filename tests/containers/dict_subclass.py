def t(f):
    try:
        r = f()
        print("ok", r)
    except Exception as e:
        print(type(e).__name__, e)

class Missing(dict):
    def __missing__(self, key):
        return key * 2
m = Missing(x=1)
print(m["x"], m["ab"], m.get("ab"), "ab" in m, m, type(m).__name__, len(m))
class Loud(dict):
    def __setitem__(self, k, v):
        print("set", k)
        dict.__setitem__(self, k, v)
    def __getitem__(self, k):
        print("get", k)
        return dict.__getitem__(self, k)
l = Loud()
l["q"] = 1
l.update(r=2)
print(l["q"], l.get("r"), l)
class Defaulting(dict):
    def __init__(self, factory):
        dict.__init__(self)
        self.factory = factory
    def __missing__(self, key):
        v = self.factory()
        self[key] = v
        return v
dd = Defaulting(list)
dd["k"].append(1)
dd["k"].append(2)
dd["j"].append(3)
print(dd, dd.factory is list)
class Ordered(dict):
    pass
o = Ordered([(2, "b"), (1, "a")])
o[0] = "z"
print(o, list(o), o == {0: "z", 1: "a", 2: "b"}, o.copy(), type(o.copy()).__name__)
print(Ordered.fromkeys("ab", 0), type(Ordered.fromkeys("ab")).__name__, dict.fromkeys(range(3)))
class Fancy(dict):
    def __iter__(self):
        return iter(["only"])
    def keys(self):
        return ["only"]
    def __getitem__(self, k):
        return "fancy-" + k
f = Fancy(a=1)
print(dict(f), list(f))
u = {}
u.update(f)
print(u)
class Mapping:
    def keys(self):
        return ["x", "y"]
    def __getitem__(self, k):
        return k.upper()
print(dict(Mapping()), dict(Mapping(), z=1))
t(lambda: Missing()[[]])
d = {}
print(d.setdefault("a", []), d)
d.setdefault("a", []).append(1)
print(d)
class Counter(dict):
    def __missing__(self, key):
        return 0
c = Counter()
for ch in "abracadabra":
    c[ch] = c[ch] + 1
print(sorted(c.items()), c["zzz"])
