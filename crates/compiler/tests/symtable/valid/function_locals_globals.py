g = 1
def f():
    x = g
    return x + h
