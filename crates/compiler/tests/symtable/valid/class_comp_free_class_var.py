def f():
    x = 1
    class C:
        x = 2
        y = [x for _ in ()]
    return C
