class C:
    n = 0
    @classmethod
    def inc(cls, by=1):
        cls.n += by
        return cls.n
    @staticmethod
    def add(a, b):
        return a + b
class D(C): pass
print(C.inc(), C().inc(2), D.inc(), C.n, D.n, C.add(1, 2), C().add(3, 4))
print(type(C.__dict__["inc"]).__name__, type(C.__dict__["add"]).__name__, C.__dict__["add"].__func__(5, 6))
print(C.inc.__self__ is C, D().inc.__self__ is D)
sm = staticmethod(len)
print(sm("abc"), callable(sm))
class E:
    @classmethod
    @property
    def cp(cls):
        return "classprop " + cls.__name__
print(E.cp)
