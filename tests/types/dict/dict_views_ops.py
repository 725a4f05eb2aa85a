d = {"a": 1, "b": 2, "c": 3}
k, v, i = d.keys(), d.values(), d.items()
d["d"] = 4
print(k, v, i, len(k))
print(k & {"a", "z"}, k | {"z"}, k - {"a"}, k ^ {"a", "q"}, ("a", 1) in i, 4 in v)
print(k == {"a", "b", "c", "d"}, i == {("a", 1), ("b", 2), ("c", 3), ("d", 4)}, k.isdisjoint({"x"}))
print(d | {"e": 5}, {"a": 0} | d)
d |= {"a": 100}
print(d)
print(list(reversed(d.keys())), list(reversed(d.items())), list(reversed(d.values())))
print(k.mapping)
try:
    for key in d:
        d["new"] = 1
except RuntimeError as e:
    print(e)
try:
    d | [1]
except TypeError as e:
    print(e)
print(sorted(d.items(), key=lambda kv: kv[1]))
