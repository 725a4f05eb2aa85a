while f() = x:
    pass
