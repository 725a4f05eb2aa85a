def outer():
    d = 1
    def inner(a=d, *, b=d):
        return a
    return inner
