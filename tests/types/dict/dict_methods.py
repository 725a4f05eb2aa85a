d = {"a": 1, "b": 2}
d["c"] = 3
print(d, len(d), d["a"], d.get("z"), d.get("z", 0), "a" in d, 1 in d)
print(d.setdefault("a", 9), d.setdefault("d", 4), d)
print(d.pop("d"), d.pop("zz", "dflt"), d.popitem(), d)
d.update({"x": 10}, y=11)
d.update([("z", 12)])
print(d, list(d.keys()), list(d.values()), list(d.items()))
print(dict.fromkeys("ab"), dict.fromkeys([1, 2], 0), dict(a=1), dict([(1, 2)]), dict({1: 2}, b=3))
e = d.copy()
e.clear()
print(e, d == d.copy(), {1: 2} == {1: 2.0}, {1: 1, 2: 2} == {2: 2, 1: 1})
try:
    d["missing"]
except KeyError as e:
    print("KeyError", e)
try:
    {}.popitem()
except KeyError as e:
    print("KeyError", e)
try:
    {[]: 1}
except TypeError as e:
    print(e)
del d["a"]
print(d, list(reversed(d)), repr({}), {1: {2: {}}})
