def outer(a, b):
    x = 1
    y = `x`
