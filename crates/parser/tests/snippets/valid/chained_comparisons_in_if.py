if 0 < x < 10 and not (y is None):
    pass
