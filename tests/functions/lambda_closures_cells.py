def make_adders():
    return [lambda x, n=n: x + n for n in range(3)]
print([f(10) for f in make_adders()])
def cell_demo():
    x = 1
    def get(): return x
    def set_(v):
        nonlocal x
        x = v
    return get, set_
get, set_ = cell_demo()
set_(42)
print(get(), get.__closure__[0].cell_contents)
import types
c = types.CellType(5)
print(c.cell_contents)
c.cell_contents = 6
print(c.cell_contents)
empty = types.CellType()
try:
    empty.cell_contents
except ValueError as e:
    print(e)
compose = lambda f, g: lambda x: f(g(x))
print(compose(str, abs)(-5), (lambda *a, **k: (a, k))(1, b=2))
