# weakref.proxy forwards the sequence, mapping and number operations to
# its referent; a dead proxy raises ReferenceError.
import array
import weakref


class L(list):
    pass


class N:
    def __init__(self, v):
        self.v = v

    def __neg__(self):
        return N(-self.v)

    def __index__(self):
        return self.v

    def __int__(self):
        return self.v

    def __float__(self):
        return float(self.v)

    def __abs__(self):
        return 'abs'


obj = L([1, 2, 3])
p = weakref.proxy(obj)
print(len(p), p[0], p[-1], 2 in p, 9 in p, list(reversed(p)))
p[0] = 10
del p[1]
print(obj, p[:])
a = array.array('b', [1, 2])
pa = weakref.proxy(a)
print(len(pa), bytes(pa), pa[1])
n = N(3)
pn = weakref.proxy(n)
print((-pn).v, [0, 1, 2, 3, 4][pn], int(pn), float(pn), abs(pn), hex(pn))
d = {'k': 1}


class D(dict):
    pass


dd = D(d)
pd = weakref.proxy(dd)
print(pd['k'], 'k' in pd, len(pd))
del obj
try:
    len(p)
except ReferenceError as e:
    print(type(e).__name__, e)
