@dec(a, b for b in c)
def f(): pass
