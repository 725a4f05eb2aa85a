def f():
    x = 1
    class C:
        x = 2
        def g(self): return x
        y = x
    return C
C = f()
print(C.x, C().g(), C.y)

def h():
    v = 10
    class D:
        pass
        v = 5
        def m(self): return v
    return D
D = h()
print(D.v, D().m())

class E:
    a = 1
    def __init__(self): pass
    k = [a for _ in range(1)] if False else None
print(E.k)

def outer():
    z = 3
    class F:
        nonlocal z
        z = 4
    return z
print(outer())
def f():
    x = 1
    class C:
        y = x
        locals()['x'] = 5 if False else None
    class D:
        x2 = 7
        def g(self): return x
    return C, D
C, D = f()
print(C.y, D().g())
def k():
    a = 1
    class E:
        exec("a = 2")
        b = a
    return E.b
print(k())
