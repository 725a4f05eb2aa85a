def outer(a, b):
    x = 1
    if x == 1
        return
