def f():
    del a, b.c, d[0]
