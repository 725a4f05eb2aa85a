class C:
    def f(self): pass
    f = property(f)
