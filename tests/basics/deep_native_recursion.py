# Deep native recursion (repr of deeply nested lists, __getattr__ loops,
# runaway Python recursion) raises RecursionError, never crashes.
l = []
for i in range(200000):
    l = [l]
try:
    print(len(repr(l)))
except RecursionError as e:
    print("RecursionError", e)
class A:
    def __getattr__(self, n):
        return getattr(self, n + "x")
try:
    A().foo
except RecursionError as e:
    print("RecursionError", e)
def f(n):
    return f(n+1)
try:
    f(0)
except RecursionError as e:
    print("RecursionError", e)
