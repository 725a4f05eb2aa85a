def f():
    it = 1
    return [x for x in it for y in x]
