def f():
    a = (yield) = 1
