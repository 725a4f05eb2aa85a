def f(x):
    return f'{x!r:{width}} {y}'
