x = "global"
class C:
    x = "class"
    y = x
    def m(self):
        return x
    z = [x for _ in range(1)]
    w = (lambda: x)()
print(C.y, C().m(), C.z, C.w)
class D:
    vals = [1, 2, 3]
    doubled = [v * 2 for v in vals]
print(D.doubled)
v = "global v"
def f():
    v = "local"
    u = "free u"
    class K:
        print(v, u)
        v = "k"
        print(v)
    return K.v
print(f())
