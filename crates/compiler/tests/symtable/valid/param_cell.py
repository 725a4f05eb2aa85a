def f(a, *args, **kw):
    return lambda: (a, args, kw)
