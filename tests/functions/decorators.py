def trace(fn):
    def wrapped(*a, **k):
        print("call", fn.__name__, a, k)
        r = fn(*a, **k)
        print("ret", r)
        return r
    return wrapped
def times(n):
    def deco(fn):
        def w(*a):
            return [fn(*a) for _ in range(n)]
        return w
    return deco
@trace
@times(2)
def add(a, b): return a + b
add(1, 2)
def cls_deco(cls):
    cls.added = "yes"
    return cls
@cls_deco
class K: pass
print(K.added)
order = []
def mark(name):
    order.append("eval " + name)
    def d(f):
        order.append("apply " + name)
        return f
    return d
@mark("a")
@mark("b")
def target(): pass
print(order)
@(lambda f: f())
def immediately(): return "called at definition"
print(immediately)
