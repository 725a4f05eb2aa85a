g = 0
def outer():
    global g
    x = 1
    def inner():
        nonlocal x
        global a, b
        x += 1
    return inner
