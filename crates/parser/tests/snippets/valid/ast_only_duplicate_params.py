def f(a, a): pass
lambda b, b: 0
