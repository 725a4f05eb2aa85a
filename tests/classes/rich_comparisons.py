class N:
    def __init__(self, v): self.v = v
    def __eq__(self, o):
        print("eq", self.v)
        return isinstance(o, N) and self.v == o.v
    def __lt__(self, o):
        print("lt", self.v)
        return self.v < o.v if isinstance(o, N) else NotImplemented
    __hash__ = None
print(N(1) == N(1), N(1) != N(2), N(1) < N(2), N(3) > N(2))
try:
    N(1) <= N(2)
except TypeError as e:
    print(e)
try:
    N(1) < 5
except TypeError as e:
    print(e)
try:
    hash(N(1))
except TypeError as e:
    print(e)
import functools
@functools.total_ordering
class T:
    def __init__(self, v): self.v = v
    def __eq__(self, o): return self.v == o.v
    def __lt__(self, o): return self.v < o.v
print(T(1) <= T(2), T(3) >= T(4), T(2) > T(1))
class Always:
    def __eq__(self, o): return True
print(Always() == 3, 3 == Always(), [Always()] == [1], Always() in [9], 1 != Always())
class NoEq: pass
a = NoEq()
print(a == a, a == NoEq(), a != a)
