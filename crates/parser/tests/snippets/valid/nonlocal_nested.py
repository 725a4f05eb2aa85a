def a():
    x = y = 0
    def b():
        nonlocal x, y
        x = y = 1
