from functools import singledispatch, singledispatchmethod

@singledispatch
def show(x):
    return 'obj'
@show.register(int)
def _(x):
    return 'int'
@show.register(list)
def _(x):
    return 'list'
print(show(1), show([]), show('s'), show(True))


@singledispatch
def ann(x):
    return 'base'
@ann.register
def _(x: float):
    return 'float'
print(ann(1.5), ann(1), show.dispatch(bool).__name__, sorted(t.__name__ for t in show.registry))
