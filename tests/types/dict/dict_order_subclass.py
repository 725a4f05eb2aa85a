d = {}
for key in ["z", "a", "m", 3, 1, 2]:
    d[key] = str(key)
print(list(d))
del d["a"]
d["a"] = "again"
print(list(d))
class Missing(dict):
    def __missing__(self, key):
        return key * 2
m = Missing(x=1)
print(m["x"], m["ab"], m.get("ab"), "ab" in m)
from collections import defaultdict, OrderedDict, Counter
dd = defaultdict(list)
dd["k"].append(1)
print(dd, dict(dd))
od = OrderedDict([(1, "a"), (2, "b")])
od.move_to_end(1)
print(od, list(od))
print(Counter("abracadabra").most_common(3))
class Loud(dict):
    def __setitem__(self, k, v):
        print("set", k)
        super().__setitem__(k, v)
l = Loud()
l["q"] = 1
l.update(r=2)
print(l)
