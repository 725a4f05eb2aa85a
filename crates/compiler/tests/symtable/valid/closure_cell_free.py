def outer(a):
    b = 2
    def inner():
        return a + b
    return inner
