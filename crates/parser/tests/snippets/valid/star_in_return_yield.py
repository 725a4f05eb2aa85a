def f():
    return 1, *a
def g():
    yield 1, *a
