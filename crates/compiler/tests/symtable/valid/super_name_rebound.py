def f():
    super = 1
    return super
