def f(a, b=2):
    c = a + b
    return sorted(locals().items())
print(f(1))
def g():
    x = 1
    def h():
        return x
    return sorted(locals())
print(g())
class K:
    a = 1
    names = sorted(k for k in locals() if not k.startswith("__"))
print(K.names)
print("f" in globals(), globals()["__name__"])
