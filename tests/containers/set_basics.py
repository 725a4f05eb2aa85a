def t(f):
    try:
        r = f()
        print("ok", r)
    except Exception as e:
        print(type(e).__name__, e)

S = set
s = S([3, 1, 2])
s.add(4); s.add(1); s.discard(10); s.remove(3)
print(s, len(s), 2 in s, 3 in s, 3 not in s)
a, b = S([1, 2, 3, 4]), S([3, 4, 5])
print(a | b, a & b, a - b, b - a, a ^ b, a <= b, S([3]) < a, a >= S([1]), a > a, a < a, a.isdisjoint(S([9])))
print(a.union([9]), a.union(), a.union([7], (8,)), a.intersection(b, S([4])), a.intersection(), a.difference(b), a.difference(b, [1]))
print(a.symmetric_difference(b), a.symmetric_difference([1, 9]), a.issubset(range(10)), a.issuperset([1, 2]), a.isdisjoint([4]), a.isdisjoint(b))
c = S(a)
c |= S([10]); c &= S([1, 10, 2]); c -= S([2]); c ^= S([7])
print(c)
c.update([20], [30]); c.intersection_update(S([20, 30, 7]), [7, 20, 30, 99]); c.difference_update(S([7]))
print(c, c.pop() in S([20, 30]), S(), S("aab") == S(["a", "b"]))
t(lambda: S().pop())
t(lambda: s.remove(99))
t(lambda: S([[1]]))
t(lambda: S(1))
t(lambda: S([], []))
t(lambda: S(a=1))
t(lambda: s.add())
t(lambda: hash(S()))
t(lambda: S([1]) | [1])
t(lambda: S([1]) < [1])
t(lambda: S([1]) + S([2]))
t(lambda: s.remove([1]))
print(S([1, 2]) == S([2, 1]), S([1, 2]) == frozenset([1, 2]), S([1, True]), repr(S()), S([(1, 2)]), S([1]) != S([2]), S() == [])
# iteration order follows CPython's table for int keys
print(list(S([100, 7, 3, 12, 64, 1])), list(S(range(20, 0, -1))), list(S([2 ** 40, -5, 33, 8, 1024])))
big = S()
for i in range(0, 200, 7):
    big.add(i * 31)
print(list(big))
for i in range(0, 200, 14):
    big.discard(i * 31)
big.add(5)
big.add(99999)
print(list(big), len(big))
print(list(S([1, 2, 3]) | S([70, 80, 90])), list(S(range(50)) - S(range(0, 50, 3))))
print(list(S(range(40)) & S(range(0, 80, 2))), list(S([5, 500, 50]) ^ S([50, 5000])))
u = S([1, 2])
u.update(dict.fromkeys([9, 8, 7]))
print(list(u))
# pop order
p = S([5, 3, 1])
print(p.pop(), p.pop(), p.pop(), p)
# mutation during iteration
m = S([1, 2, 3])
try:
    for x in m:
        m.add(x + 10)
except RuntimeError as e:
    print(e)
it = iter(S([1, 2]))
print(type(it).__name__, it.__length_hint__(), next(it), list(it))
# sets of sets
inner = S([1, 2])
outer = S([frozenset([1, 2]), frozenset()])
print(inner in outer, S() in outer, S([3]) in outer)
outer.discard(inner)
print(outer)
outer.add(frozenset([1, 2]))
outer.remove(S([1, 2]))
print(outer)
# subclasses
class Bag(set):
    pass
g = Bag([1, 2])
print(g, type(g).__name__, type(g | S([3])).__name__, type(g.copy()).__name__, Bag(), isinstance(g, set))
class Counted(set):
    def __init__(self, items):
        set.__init__(self, items)
        self.n = len(self)
cs = Counted([4, 4, 5])
print(cs, cs.n)
# recursion-free repr of nested containers
print(S([(1, "a")]), S([frozenset([1])]))
print(set.__name__, set.__hash__ is None, S([1, 2]).__len__(), S([1]).__contains__(1))
