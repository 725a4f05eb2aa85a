a = object()
b = object()
print(id(a) != id(b), id(a) == id(a), hash(a) == hash(a), isinstance(id(a), int), id(a) > 0)
s1 = "interned_string"
s2 = "interned_" + "string"
print(s1 == s2, hash(s1) == hash(s2))
print(hash(1) == 1, hash(-1) == -2, hash(10 ** 20) == 10 ** 20 % (2 ** 61 - 1), hash(0.5) == hash(0.5))
l = []
print(id(l) == id(l), len({id(x) for x in [a, b, a]}))
