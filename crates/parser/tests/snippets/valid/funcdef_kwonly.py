def f(*, a, b=1, **kw):
    pass
def g(*args: int, **kwargs: str):
    pass
