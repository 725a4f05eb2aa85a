def f():
    x += 1
    y.a += 1
    z[0] += 1
