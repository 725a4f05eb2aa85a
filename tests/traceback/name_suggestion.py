def g():
    return lenn([1])
g()
