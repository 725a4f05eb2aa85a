def f():
    B = object
    class C(B, metaclass=type, **kw):
        pass
