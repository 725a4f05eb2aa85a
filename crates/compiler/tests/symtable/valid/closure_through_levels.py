def f():
    x = 1
    def g():
        def h():
            return x
        return h
    return g
