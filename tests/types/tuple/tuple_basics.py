t = (1, 2, 3, 2)
print(t, t[0], t[-1], t[1:], t.count(2), t.index(3), len(t), 2 in t)
print((), (1,), tuple([1, 2]), tuple("ab"), (1, 2) + (3,), (0,) * 3)
print((1, 2) < (1, 3), (1, 2) == (1, 2), (1,) < (1, 0), repr((1,)), str(((1, 2), "a")))
a, b = t[:2]
print(a, b)
try:
    t[0] = 5
except TypeError as e:
    print(e)
try:
    t.index(9)
except ValueError as e:
    print(e)
print(hash((1, 2)) == hash((1, 2)), hash((1, 2, (3, 4))))
try:
    hash((1, [2]))
except TypeError as e:
    print(e)
from collections import namedtuple
P = namedtuple("P", "x y")
p = P(1, y=2)
print(p, p.x, p[1], p._replace(x=5), p._asdict(), P._fields, isinstance(p, tuple))
