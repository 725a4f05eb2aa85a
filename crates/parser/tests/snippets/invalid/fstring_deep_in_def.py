def outer(a, b):
    x = 1
    return f'result: {}'
