class P:
    def __init__(self, v): self.v = v
    def __eq__(self, o): return isinstance(o, P) and o.v == self.v
    def __hash__(self): return hash(self.v)
    def __bool__(self): return bool(self.v)
    def __len__(self): return 99
    def __neg__(self): return P(-self.v)
    def __pos__(self): return "pos"
    def __round__(self, n=None): return ("round", n)
    def __floor__(self): return "floor"
    def __int__(self): return 7
    def __float__(self): return 1.5
    def __complex__(self): return 2j
    def __contains__(self, x): return x == "in"
    def __reversed__(self): return iter("rev")
import math
p = P(3)
print(bool(P(0)), len(p), (-p).v, +p, round(p), round(p, 2), math.floor(p), int(p), float(p), complex(p), "in" in p, list(reversed(p)))
print(P(1) == P(1), P(1) != P(2), {P(1), P(1)} == {P(1)}, p.__class__.__name__, p.__dict__, p.__module__)
print(object.__eq__(p, p), object.__ne__(p, 1), p.__reduce_ex__(2)[0].__name__)
print(P.__init__.__qualname__, sorted(set(dir(p)) - set(dir(object)))[:5])
