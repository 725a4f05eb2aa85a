def outer(a, b):
    x = 1
    foo bar
