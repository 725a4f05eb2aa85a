def f():
    global x, y
    x = 1
    return y
