def f(): pass
class f: pass
g = lambda: 0
def genexpr(): pass
x = (i for i in ())
