def f(x, (a)):
    pass
