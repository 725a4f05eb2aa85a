def outer(a, b):
    x = 1
    del 'x'
