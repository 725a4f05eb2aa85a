@dec
@other(arg)
def f(): pass
@cdec
class C: pass
