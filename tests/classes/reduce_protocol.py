import copy, copyreg
class P:
    def __init__(self, x): self.x = x; self.l = [1, [2]]
p = P(3)
r = p.__reduce_ex__(2)
print(r[0].__name__, r[1], r[2], r[3:])
print(p.__reduce_ex__(0)[0].__name__, p.__reduce_ex__(1)[1])
print(p.__getstate__())
q = copy.copy(p); print(q.x, q.l is p.l)
d = copy.deepcopy(p); print(d.x, d.l, d.l is p.l, d.l[1] is p.l[1])
class S:
    __slots__ = ('a', 'b')
    def __init__(self): self.a = 1
s = S(); print(s.__getstate__(), s.__reduce_ex__(2)[2])
s2 = copy.deepcopy(s); print(s2.a, hasattr(s2, 'b'))
try: s.__reduce_ex__(1)
except TypeError as e: print(type(e).__name__, e)
class L(list): pass
l = L([1,2]); l.y = 5
r = l.__reduce_ex__(2); print(r[1], r[2], list(r[3]), r[4])
l2 = copy.deepcopy(l); print(l2, l2.y, type(l2).__name__)
class D(dict): pass
dd = D(a=1); r = dd.__reduce_ex__(2); print(r[2], r[3], list(r[4]))
class N:
    def __getnewargs_ex__(self): return ((1,), {'k': 2})
    def __new__(cls, *a, **k): o = object.__new__(cls); o.a = (a, k); return o
n = N(); r = n.__reduce_ex__(2); print(r[0].__name__, r[1][1:], r[2])
print(copy.copy(n).a)
class Bad:
    def __getnewargs_ex__(self): return 5
try: Bad().__reduce_ex__(2)
except TypeError as e: print(e)
class R:
    def __reduce__(self): return (R, ())
print(R().__reduce_ex__(2))
class I(int): pass
i = I(5); i.z = 1; c = copy.copy(i); print(c, c.z, type(c).__name__)
class T(tuple): pass
print(copy.deepcopy(T((1, [2])))) 
class St(str): pass
print(repr(copy.copy(St('ab'))))
print(object().__reduce__()[1])
for f in (lambda: object().__reduce_ex__(), lambda: object().__reduce_ex__('a'), lambda: object().__reduce__(1), lambda: object().__getstate__(1)):
    try: f()
    except Exception as e: print(type(e).__name__, e)
class G:
    def __getstate__(self): return {'g': 1}
print(G().__reduce_ex__(2)[2], G().__reduce_ex__(0)[2])
print(object.__getstate__(G()))
print(type.__flags__ & (1 << 9), int.__flags__ & (1 << 24) != 0, P.__flags__ & (1 << 9))
print(bool(list.__flags__ & (1 << 25)), bool(dict.__flags__ & (1 << 29)))
class M2(list): pass
print(bool(M2.__flags__ & (1 << 25)), bool(M2.__flags__ & (1 << 9)))
import abc
class Abs(abc.ABC):
    @abc.abstractmethod
    def f(self): pass
print(bool(Abs.__flags__ & (1 << 20)))
print(copy.copy(object()) is not None, copy.deepcopy({'a': [P(1)]})['a'][0].x)
