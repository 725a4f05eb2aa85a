def t(f):
    try:
        r = f()
        print("ok", r)
    except Exception as e:
        print(type(e).__name__, e)

tp = (1, 2, 3, 2)
print(tp, tp[0], tp[-1], tp[1:], tp[::-1], tp.count(2), tp.index(3), tp.index(2, 2), len(tp), 2 in tp, 5 not in tp)
print((), (1,), tuple([1, 2]), tuple("ab"), (1, 2) + (3,), (0,) * 3, 2 * (1, 2), tuple(), tuple({1: 2}))
print((1, 2) < (1, 3), (1, 2) == (1, 2), (1,) < (1, 0), (2,) > (1, 5), (1, 2) != (1, 2), (1, 2) <= (1, 2), () < (0,))
print(repr((1,)), str(((1, 2), "a")), repr(()), ((),), (((1,),),))
a, b = tp[:2]
print(a, b)
def f(): tp[0] = 5
t(f)
t(lambda: tp.index(9))
t(lambda: tp.index())
t(lambda: tp[10])
t(lambda: tp["a"])
t(lambda: (1,) + [1])
t(lambda: (1,) * "x")
t(lambda: (1,) < [1])
t(lambda: (1, "a") < (1, 2))
t(lambda: hash((1, [2])))
t(lambda: tuple(1))
t(lambda: tuple([], []))
t(lambda: tuple(a=1))
t(lambda: tp.count())
# CPython 3.11's tuple hash (ints hash to themselves)
print(hash(()), hash((1,)), hash((1, 2, 3)), hash(((1, 2), 3)), hash((-1, -2)), hash((0, 0, 0)))
print(hash((1, 2)) == hash((1, 2)), hash((True, False)) == hash((1, 0)), hash(("a", 1)) == hash(("a", 1)))
d = {(1, 2): "pair", (): "empty"}
print(d[(1, 2)], d[()], (1, 2) in d)
x = (1, 2)
print(tuple(x) is x, x[:] is x, x * 1 is x, (x + ()) is x)
it = iter((1, 2, 3))
print(type(it).__name__, it.__length_hint__(), next(it), list(it), list(it))
class Point(tuple):
    def __repr__(self):
        return "Point" + repr(tuple(self))
    def x(self):
        return self[0]
p = Point([3, 4])
print(p, p.x(), len(p), p == (3, 4), isinstance(p, tuple), type(p).__name__, p + (5,), type(p + (5,)).__name__)
r = [1]
tr = (r,)
r.append(tr)
print(tr)
n = float("nan")
print((n,) == (n,), (1, n) < (2, n), tuple.__name__)
