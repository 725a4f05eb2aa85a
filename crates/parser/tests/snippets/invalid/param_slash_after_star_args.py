def f(*args, /):
    pass
