def f(a, b=2, *args, c, d=4, **kw):
    return a + b


def outer():
    n = 0

    def inner():
        nonlocal n
        n += 1
        return n

    return inner
