import sys
def fact(n): return 1 if n <= 1 else n * fact(n - 1)
print(fact(100))
def ack(m, n):
    if m == 0: return n + 1
    if n == 0: return ack(m - 1, 1)
    return ack(m - 1, ack(m, n - 1))
print(ack(2, 3))
def depth(n):
    return depth(n + 1)
try:
    depth(0)
except RecursionError as e:
    print("RecursionError:", e)
sys.setrecursionlimit(200)
def count(n):
    try:
        return count(n + 1)
    except RecursionError:
        return n
print(count(0) < 200)
sys.setrecursionlimit(1000)
def even(n): return True if n == 0 else odd(n - 1)
def odd(n): return False if n == 0 else even(n - 1)
print(even(500), odd(501))
class R:
    def __repr__(self): return repr(self)
try:
    repr(R())
except RecursionError:
    print("repr recursion caught")
