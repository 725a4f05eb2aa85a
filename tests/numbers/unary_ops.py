# Unary operators dispatch through the operand's type (not 0 - x, x ^ -1).
print(-0.0, -(0.0), +(-0.0), -(-0.0), -5, +5, ~5, ~-1, ~0, -True, +True, ~True, ~False)
print(-(2**63), -(-(2**63)), ~(2**100), -(1+2j), +(1-0j), -0j, abs(-0.0), abs(-2**70), abs(-3+4j))

class V:
    def __init__(self, v): self.v = v
    def __neg__(self): return V(-self.v)
    def __pos__(self): return V(self.v + 0.5)
    def __invert__(self): return 'inverted'
    def __abs__(self): return 'absolute'
    def __repr__(self): return 'V'
print((-V(3)).v, (+V(3)).v, ~V(3), abs(V(1)))

class N(int):
    pass
n = N(7)
print(-n, +n, ~n, abs(N(-3)), type(-n).__name__, type(+n).__name__)

class F(float):
    def __neg__(self): return 'F neg'
print(-F(1.5), +F(1.5), abs(F(-2.5)))

for bad in ['x', [1], None]:
    for op in ['-', '+', '~']:
        try:
            if op == '-': -bad
            elif op == '+': +bad
            else: ~bad
        except TypeError as e:
            print(type(e).__name__, e)
try:
    ~1.5
except TypeError as e:
    print(e)
try:
    abs('x')
except TypeError as e:
    print(e)
print((5).__neg__(), (5).__invert__(), (2.5).__neg__(), (1j).__neg__(), (-3).__abs__(), (-2.5).__abs__(), (3+4j).__abs__())
print(not 0, not 0.0, not 0j, not 1j, not -0.0)
