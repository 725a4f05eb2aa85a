def f(**kw, /):
    pass
