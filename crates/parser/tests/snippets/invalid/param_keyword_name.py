def f(a, None):
    pass
