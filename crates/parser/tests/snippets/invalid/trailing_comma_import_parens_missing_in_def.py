def outer(a, b):
    x = 1
    from m import a,
