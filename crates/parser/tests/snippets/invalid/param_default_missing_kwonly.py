def f(*, a=):
    pass
