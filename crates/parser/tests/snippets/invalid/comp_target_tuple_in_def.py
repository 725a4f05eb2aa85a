def outer(a, b):
    x = 1
    return [a, b, c for a in d]
