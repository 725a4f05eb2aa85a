def f():
    return (*a)
